"""Data contracts: one per extract table, the single source of columns, types and rules."""

from data_contracts.contract import Column, Contract, TABLES, load_contract

__all__ = ["Column", "Contract", "TABLES", "load_contract"]
