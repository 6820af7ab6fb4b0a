"""Comorbidity and social-needs features: many flags of one shape, listed as tables."""

from __future__ import annotations

from features.registry import Feature

# Elixhauser comorbidity (AHRQ software v2019.1 name) -> plain-language reason.
ELIXHAUSER: dict[str, str] = {
    "AIDS": "HIV/AIDS",
    "ALCOHOL": "alcohol use disorder",
    "ANEMDEF": "deficiency anemia",
    "ARTH": "rheumatoid arthritis or collagen vascular disease",
    "BLDLOSS": "chronic blood loss anemia",
    "CHF": "heart failure",
    "CHRNLUNG": "chronic lung disease",
    "COAG": "a blood clotting disorder",
    "DEPRESS": "depression",
    "DM": "diabetes",
    "DMCX": "diabetes with complications",
    "DRUG": "drug use disorder",
    "HTN_C": "high blood pressure",
    "HYPOTHY": "hypothyroidism",
    "LIVER": "liver disease",
    "LYMPH": "lymphoma",
    "LYTES": "fluid or electrolyte disorder",
    "METS": "metastatic cancer",
    "NEURO": "a neurological disorder",
    "OBESE": "obesity",
    "PARA": "paralysis",
    "PERIVASC": "peripheral vascular disease",
    "PSYCH": "psychosis",
    "PULMCIRC": "pulmonary circulation disorder",
    "RENLFAIL": "kidney failure",
    "TUMOR": "cancer (solid tumour, not metastatic)",
    "ULCER": "peptic ulcer disease",
    "VALVE": "heart valve disease",
    "WGHTLOSS": "weight loss or malnutrition",
}

# Social-needs domains (DESIGN section 6) -> (what the codes say, what a screening answer says).
SOCIAL_DOMAINS: dict[str, tuple[str, str]] = {
    "housing": ("housing problems on record", "reports housing instability"),
    "food": ("food insecurity on record", "reports food insecurity"),
    "transport": ("transportation problems on record", "reports lack of transportation"),
    "financial": ("financial strain on record", "reports trouble paying for basics"),
    "isolation": ("social isolation on record", "reports feeling isolated"),
}


def _elixhauser_flag(code: str, reason: str) -> Feature:
    return Feature(
        f"elix_{code.lower()}",
        "comorbidity",
        "flag",
        "bool",
        f"Elixhauser comorbidity {code} (AHRQ ICD-10-CM software v2019.1) coded in the 365 days "
        "up to the cutoff, after the software's hierarchy rules.",
        f"has {reason}",
        direction="true",
    )


COMORBIDITY: list[Feature] = [
    Feature(
        "charlson_index",
        "comorbidity",
        "points",
        "int",
        "Charlson comorbidity index (Quan 2005 ICD-10 codes, Charlson 1987 weights) over the "
        "365 days up to the cutoff.",
        "Charlson comorbidity score {value} (from coded conditions)",
    ),
    *(_elixhauser_flag(code, reason) for code, reason in ELIXHAUSER.items()),
    Feature(
        "elix_readmission_index",
        "comorbidity",
        "points",
        "int",
        "AHRQ Elixhauser readmission index (Moore 2017 weights) of the flags above.",
        "Elixhauser readmission index {value} (from coded conditions)",
    ),
    Feature(
        "hcc_risk_score",
        "comorbidity",
        "RAF",
        "float",
        "CMS-HCC V28 community risk score (2026 coefficients) from diagnoses in the 365 days "
        "up to the cutoff, age, sex, dual status and entitlement; null when sex is unknown.",
        "CMS-HCC risk score {value} (1.00 is an average patient)",
        max_missing_share=0.05,
    ),
    Feature(
        "chronic_condition_count",
        "comorbidity",
        "count",
        "int",
        "Distinct CCS categories of chronic diagnoses (AHRQ Chronic Condition Indicator) coded "
        "in the 365 days up to the cutoff.",
        "{value} chronic condition{s}",
    ),
]


def _social_features() -> list[Feature]:
    dx = [
        Feature(
            f"sdoh_dx_{domain}",
            "social",
            "flag",
            "bool",
            f"ICD-10-CM Z55-Z65 code of the {domain} domain in the 730 days up to the cutoff.",
            coded,
            direction="true",
        )
        for domain, (coded, _) in SOCIAL_DOMAINS.items()
    ]
    screened = [
        Feature(
            f"screen_{domain}",
            "social",
            "flag",
            "bool",
            f"Latest AHC HRSN or PRAPARE answer of the {domain} domain in the 730 days up to "
            "the cutoff signals a need; null when not screened.",
            said,
            direction="true",
            max_missing_share=1.0,
        )
        for domain, (_, said) in SOCIAL_DOMAINS.items()
    ]
    return [
        *dx,
        Feature(
            "lives_alone",
            "social",
            "flag",
            "bool",
            "ICD-10-CM Z60.2 (problems related to living alone) in the 730 days up to the cutoff.",
            "lives alone",
            direction="true",
        ),
        *screened,
        _count_needs(),
        Feature(
            "adi_national_percentile",
            "social",
            "percentile",
            "float",
            "Area Deprivation Index national percentile of the person's 5-digit ZIP code, when an "
            "area-deprivation file was supplied; null otherwise.",
            "lives in a deprived area (national percentile {value} of 100)",
            max_missing_share=1.0,
        ),
    ]


def _count_needs() -> Feature:
    return Feature(
        "social_needs_count",
        "social",
        "count",
        "int",
        "Social-needs domains flagged by a diagnosis code or a screening answer.",
        "{value} social need{s}",
    )


SOCIAL: list[Feature] = _social_features()
