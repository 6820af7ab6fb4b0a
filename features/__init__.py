"""The feature registry, the feature matrix per task, and the builders SQL cannot express."""

from features.matrix import build_feature_matrices, feature_matrix, matrix_table
from features.registry import TASKS, Feature, feature_names, features_for, get_feature, registry

__all__ = [
    "TASKS",
    "Feature",
    "build_feature_matrices",
    "feature_matrix",
    "feature_names",
    "features_for",
    "get_feature",
    "matrix_table",
    "registry",
]
