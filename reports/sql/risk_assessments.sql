-- grain: one row per scored patient and task of one run: a FHIR R4 RiskAssessment resource as JSON
-- why: FHIR R4 RiskAssessment (hl7.org/fhir/R4/riskassessment.html): prediction.probabilityDecimal
-- carries the probability, qualitativeRisk uses the risk-probability code system, rationale the reasons.
with scores as (
    select run_id, task, person_id, as_of_date, probability, tier, reasons
    from ml_scores
    where run_id = getvariable('publish_run_id')
),

final as (
    select
        task,
        person_id,
        json_object(
            'resourceType', 'RiskAssessment',
            'id', md5(run_id || '|' || task || '|' || person_id),
            'status', 'final',
            'subject', json_object('reference', 'Patient/' || person_id),
            'occurrenceDateTime', strftime(as_of_date, '%Y-%m-%d'),
            'method', json_object(
                'text', 'readmit calibrated LightGBM, task ' || task
            ),
            'code', json_object('text', case task
                when 'readmission_30d' then 'Risk of unplanned readmission within 30 days of discharge'
                else 'Risk of unplanned acute admission within 90 days'
            end),
            'prediction', json_array(json_object(
                'outcome', json_object('text', case task
                    when 'readmission_30d' then 'Unplanned readmission within 30 days'
                    else 'Unplanned acute admission within 90 days'
                end),
                'probabilityDecimal', round(probability, 4),
                'qualitativeRisk', json_object(
                    'coding', json_array(json_object(
                        'system', 'http://terminology.hl7.org/CodeSystem/risk-probability',
                        'code', case when tier <= 2 then 'high' when tier = 3 then 'moderate' else 'low' end
                    )),
                    'text', 'Tier ' || tier::varchar
                ),
                'whenRange', json_object(
                    'low', json_object('value', 0, 'unit', 'days'),
                    'high', json_object('value', case task when 'readmission_30d' then 30 else 90 end, 'unit', 'days')
                ),
                'rationale', array_to_string(coalesce(cast(reasons as varchar[]), []::varchar[]), '; ')
            )),
            'note', json_array(json_object('text', 'run ' || run_id))
        ) as resource
    from scores
)

select task, person_id, resource from final order by task, person_id
