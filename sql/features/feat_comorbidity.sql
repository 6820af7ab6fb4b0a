-- grain: one row per prediction spine row: comorbidity indexes over its 365-day diagnoses
-- Charlson (Quan 2005 codes, Charlson 1987 weights), Elixhauser flags and AHRQ readmission index,
-- CMS-HCC V28 risk score and chronic condition count; each is built in an int_feat_ relation.
with spine as (
    select spine_id, task, person_id, as_of_date from mart_prediction_spine
),

final as (
    select
        sp.spine_id,
        sp.task,
        sp.person_id,
        sp.as_of_date,
        coalesce(ch.charlson_index, 0) as charlson_index,
        coalesce(list_contains(e.comorbidities, 'AIDS'), false) as elix_aids,
        coalesce(list_contains(e.comorbidities, 'ALCOHOL'), false) as elix_alcohol,
        coalesce(list_contains(e.comorbidities, 'ANEMDEF'), false) as elix_anemdef,
        coalesce(list_contains(e.comorbidities, 'ARTH'), false) as elix_arth,
        coalesce(list_contains(e.comorbidities, 'BLDLOSS'), false) as elix_bldloss,
        coalesce(list_contains(e.comorbidities, 'CHF'), false) as elix_chf,
        coalesce(list_contains(e.comorbidities, 'CHRNLUNG'), false) as elix_chrnlung,
        coalesce(list_contains(e.comorbidities, 'COAG'), false) as elix_coag,
        coalesce(list_contains(e.comorbidities, 'DEPRESS'), false) as elix_depress,
        coalesce(list_contains(e.comorbidities, 'DM'), false) as elix_dm,
        coalesce(list_contains(e.comorbidities, 'DMCX'), false) as elix_dmcx,
        coalesce(list_contains(e.comorbidities, 'DRUG'), false) as elix_drug,
        coalesce(list_contains(e.comorbidities, 'HTN_C'), false) as elix_htn_c,
        coalesce(list_contains(e.comorbidities, 'HYPOTHY'), false) as elix_hypothy,
        coalesce(list_contains(e.comorbidities, 'LIVER'), false) as elix_liver,
        coalesce(list_contains(e.comorbidities, 'LYMPH'), false) as elix_lymph,
        coalesce(list_contains(e.comorbidities, 'LYTES'), false) as elix_lytes,
        coalesce(list_contains(e.comorbidities, 'METS'), false) as elix_mets,
        coalesce(list_contains(e.comorbidities, 'NEURO'), false) as elix_neuro,
        coalesce(list_contains(e.comorbidities, 'OBESE'), false) as elix_obese,
        coalesce(list_contains(e.comorbidities, 'PARA'), false) as elix_para,
        coalesce(list_contains(e.comorbidities, 'PERIVASC'), false) as elix_perivasc,
        coalesce(list_contains(e.comorbidities, 'PSYCH'), false) as elix_psych,
        coalesce(list_contains(e.comorbidities, 'PULMCIRC'), false) as elix_pulmcirc,
        coalesce(list_contains(e.comorbidities, 'RENLFAIL'), false) as elix_renlfail,
        coalesce(list_contains(e.comorbidities, 'TUMOR'), false) as elix_tumor,
        coalesce(list_contains(e.comorbidities, 'ULCER'), false) as elix_ulcer,
        coalesce(list_contains(e.comorbidities, 'VALVE'), false) as elix_valve,
        coalesce(list_contains(e.comorbidities, 'WGHTLOSS'), false) as elix_wghtloss,
        coalesce(e.readmission_index, 0) as elix_readmission_index,
        hcc.hcc_risk_score,
        coalesce(cc.chronic_condition_count, 0) as chronic_condition_count
    from spine as sp
    left join int_feat_elixhauser as e on sp.spine_id = e.spine_id
    left join int_feat_charlson as ch on sp.spine_id = ch.spine_id
    left join int_feat_hcc as hcc on sp.spine_id = hcc.spine_id
    left join int_feat_chronic as cc on sp.spine_id = cc.spine_id
)

select * from final
