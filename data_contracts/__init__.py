"""Data contracts: one per extract table, the single source of columns, types and rules."""

from data_contracts.contract import TABLES, Column, Contract, load_contract
from data_contracts.rules import Rule, contract_rules

__all__ = ["Column", "Contract", "Rule", "TABLES", "contract_rules", "load_contract"]
