"""Synthetic extracts with a documented risk process and exact truth (`readmit synth`).

`generate` writes one landing drop: every extract table in contract column order, the case-manager
roster and an area-deprivation file, and (with `truth_out`) the true probabilities of both
prediction tasks plus the generator's own record of acute episodes. See `risk.py` for the process.
"""

from pipelines.synth.generate import SynthSummary, episodes_path, generate, simulate_truth
from pipelines.synth.messiness import MessinessConfig

__all__ = ["MessinessConfig", "SynthSummary", "episodes_path", "generate", "simulate_truth"]
