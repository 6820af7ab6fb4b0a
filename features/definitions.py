"""Every feature column, once: the data dictionary behind `ml_features_<task>` and worklist reasons.

Windows end at the spine's cutoff date (the index discharge date for readmission_30d, the day
before the month start for admission_90d) and include it. Counts are 0 when there are no events;
values that were never measured (a lab, a screening, an area index) are null.
"""

from __future__ import annotations

from features.registry import Feature

READMISSION = ("readmission_30d",)
ADMISSION = ("admission_90d",)


def _flag(name: str, group: str, description: str, reason: str, **kw: object) -> Feature:
    return Feature(name, group, "flag", "bool", description, reason, direction="true", **kw)


def _count(name: str, group: str, description: str, reason: str, **kw: object) -> Feature:
    return Feature(name, group, "count", "int", description, reason, **kw)


DEMOGRAPHICS = [
    Feature(
        "age_years",
        "demographics",
        "years",
        "int",
        "Age in whole years on the as-of date.",
        "{value} years old",
        max_missing_share=0.01,
    ),
    _flag("is_female", "demographics", "Sex recorded as female.", "female", max_missing_share=0.05),
    _flag(
        "payer_medicare",
        "demographics",
        "Enrolled with a Medicare payer at the cutoff date.",
        "covered by Medicare",
        max_missing_share=1.0,
    ),
    _flag(
        "payer_medicaid",
        "demographics",
        "Enrolled with a Medicaid payer at the cutoff date.",
        "covered by Medicaid",
        max_missing_share=1.0,
    ),
    _flag(
        "payer_commercial",
        "demographics",
        "Enrolled with a commercial payer at the cutoff.",
        "commercially insured",
        max_missing_share=1.0,
    ),
    _flag(
        "dual_eligible",
        "demographics",
        "Eligible for both Medicare and Medicaid (payer type dual or a dual status code).",
        "eligible for both Medicare and Medicaid",
        max_missing_share=1.0,
    ),
]

UTILIZATION = [
    _count(
        "ip_stays_6m",
        "utilization",
        "Acute stays admitted in the 183 days up to the cutoff, index stay excluded.",
        "{value} hospital stay{s} in the last 6 months",
    ),
    _count(
        "ip_stays_12m",
        "utilization",
        "Acute stays admitted in the 365 days up to the cutoff, index stay excluded.",
        "{value} hospital stay{s} in the last 12 months",
    ),
    _count(
        "ed_visits_6m",
        "utilization",
        "ED visit days in the 183 days up to the cutoff, not the one leading to the index stay.",
        "{value} ED visit{s} in the last 6 months",
    ),
    _count(
        "outpatient_visits_12m",
        "utilization",
        "Office and outpatient visit days known in the 365 days up to the cutoff.",
        "{value} outpatient visit{s} in the last 12 months",
        direction="lower",
    ),
    Feature(
        "index_los_days",
        "utilization",
        "days",
        "int",
        "Length of the index stay: discharge date minus admission date.",
        "stayed {value} day{s} in hospital",
        tasks=READMISSION,
    ),
    Feature(
        "days_since_last_discharge",
        "utilization",
        "days",
        "int",
        "Days from the previous acute discharge to the index admission (readmission_30d) or "
        "to the cutoff (admission_90d); null when there was no earlier stay.",
        "previous hospital discharge {value} day{s} earlier",
        direction="lower",
        max_missing_share=1.0,
        reason_limit=365,  # a stay over a year ago is history, not a reason to call today
    ),
    Feature(
        "paid_amount_12m",
        "utilization",
        "USD",
        "float",
        "Medical (by claim end) and pharmacy (by fill) paid amounts in the 365 days to the cutoff.",
        "${value} in care costs over the last 12 months",
    ),
]

CLINICAL = [
    Feature(
        "hemoglobin_at_discharge",
        "clinical",
        "g/dL",
        "float",
        "Last hemoglobin resulted during the index stay; null when none was drawn.",
        "hemoglobin {value} g/dL at discharge",
        direction="lower",
        tasks=READMISSION,
        max_missing_share=1.0,
    ),
    Feature(
        "sodium_at_discharge",
        "clinical",
        "mmol/L",
        "float",
        "Last serum sodium resulted during the index stay; null when none was drawn.",
        "sodium {value} mmol/L at discharge",
        direction="lower",
        tasks=READMISSION,
        max_missing_share=1.0,
    ),
    Feature(
        "hemoglobin_last_12m",
        "clinical",
        "g/dL",
        "float",
        "Last hemoglobin in the 365 days up to the cutoff; null when none was drawn.",
        "last hemoglobin {value} g/dL",
        direction="lower",
        tasks=ADMISSION,
        max_missing_share=1.0,
    ),
    Feature(
        "sodium_last_12m",
        "clinical",
        "mmol/L",
        "float",
        "Last serum sodium in the 365 days up to the cutoff; null when none was drawn.",
        "last sodium {value} mmol/L",
        direction="lower",
        tasks=ADMISSION,
        max_missing_share=1.0,
    ),
    _flag(
        "oncology_discharge",
        "clinical",
        "Active cancer coded during the index stay (malignant neoplasm C00-C96 except skin C44, "
        "or chemotherapy/radiotherapy Z51.0-Z51.1): the proxy for an oncology discharge.",
        "has active cancer",
        tasks=READMISSION,
    ),
    _flag(
        "procedure_during_stay",
        "clinical",
        "At least one ICD-10-PCS procedure coded during the index stay.",
        "had a procedure during the stay",
        tasks=READMISSION,
    ),
    _flag(
        "urgent_admission",
        "clinical",
        "Index admission type emergency, urgent or trauma (UB-04 codes 1, 2, 5) or admitted "
        "through the ED; null when the admission type is unknown.",
        "urgent or emergency admission",
        tasks=READMISSION,
        max_missing_share=0.5,
    ),
    _count(
        "active_medications_90d",
        "clinical",
        "Distinct medications (NDC product, else RxNorm) with supply on hand in the 90 days "
        "up to the cutoff.",
        "{value} active medication{s}",
    ),
    Feature(
        "pdc_statins",
        "clinical",
        "share of days",
        "float",
        "Proportion of days covered by statin fills over the 180 days up to the cutoff "
        "(PQA method, at least two fills); null when not on a statin.",
        "statin refills covered {value} of days (80% counts as adherent)",
        direction="lower",
        max_missing_share=1.0,
    ),
    Feature(
        "pdc_ras_antagonists",
        "clinical",
        "share of days",
        "float",
        "Proportion of days covered by ACE inhibitor, ARB or renin inhibitor fills over the "
        "180 days up to the cutoff (PQA method); null when not on one.",
        "blood-pressure medicine refills covered {value} of days (80% counts as adherent)",
        direction="lower",
        max_missing_share=1.0,
    ),
    Feature(
        "pdc_diabetes_oral",
        "clinical",
        "share of days",
        "float",
        "Proportion of days covered by non-insulin diabetes medicine fills over the 180 days "
        "up to the cutoff (PQA method); null when not on one.",
        "diabetes medicine refills covered {value} of days (80% counts as adherent)",
        direction="lower",
        max_missing_share=1.0,
    ),
]

RULE_SCORES = [
    Feature(
        "lace_score",
        "rule_scores",
        "points",
        "int",
        "LACE index (van Walraven 2010): length of stay, acuity, Charlson, ED visits in the "
        "6 months before admission; 0-19.",
        "LACE readmission score {value} of 19",
        tasks=READMISSION,
    ),
    Feature(
        "hospital_score",
        "rule_scores",
        "points",
        "int",
        "HOSPITAL score (Donze 2013): hemoglobin, oncology, sodium, procedure, index type, "
        "admissions in the previous 12 months, length of stay; 0-13.",
        "HOSPITAL readmission score {value} of 13",
        tasks=READMISSION,
    ),
]


def _features() -> list[Feature]:
    from features.definitions_conditions import COMORBIDITY, SOCIAL

    return DEMOGRAPHICS + UTILIZATION + COMORBIDITY + CLINICAL + SOCIAL + RULE_SCORES


FEATURES: list[Feature] = _features()
