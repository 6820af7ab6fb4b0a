-- grain: one row per delivered medical claim line version (superseded versions included)
-- _row_key identifies the delivered row (file checksum and row number; the table's rowid when a
-- loader left lineage out) so int_claim_line_exclusions can name the rows that are not current.
-- Codes normalised: ICD codes without dots or spaces, upper case; bill type as 3 characters;
-- revenue codes as 4 digits; disposition and place of service as 2 characters.
with source as (
    select
        case
            when _checksum is not null and _row_number is not null then hash(_checksum, _row_number)
            else cast(rowid as ubigint)
        end as _row_key,
        *
    from raw_medical_claim
),

final as (
    select
        _row_key,
        claim_id,
        claim_line_number,
        lower(trim(claim_type)) as claim_type,
        person_id,
        claim_start_date,
        claim_end_date,
        claim_line_start_date,
        claim_line_end_date,
        admission_date,
        discharge_date,
        nullif(trim(admit_source_code), '') as admit_source_code,
        nullif(trim(admit_type_code), '') as admit_type_code,
        case
            when length(trim(discharge_disposition_code)) = 1
                then '0' || trim(discharge_disposition_code)
            else nullif(trim(discharge_disposition_code), '')
        end as discharge_disposition_code,
        case
            when length(trim(place_of_service_code)) = 1 then '0' || trim(place_of_service_code)
            else nullif(trim(place_of_service_code), '')
        end as place_of_service_code,
        -- why: UB-04 type of bill arrives as 3 digits (111) or 4 with a leading 0 (0111).
        case
            when length(trim(bill_type_code)) = 4 and starts_with(trim(bill_type_code), '0')
                then upper(substr(trim(bill_type_code), 2))
            else nullif(upper(trim(bill_type_code)), '')
        end as bill_type_code,
        -- why: UB-04 revenue codes are 4 digits; a leading 0 is often dropped (450 is 0450).
        case
            when length(trim(revenue_center_code)) = 3 then '0' || trim(revenue_center_code)
            else nullif(trim(revenue_center_code), '')
        end as revenue_center_code,
        nullif(upper(trim(hcpcs_code)), '') as hcpcs_code,
        nullif(trim(drg_code), '') as drg_code,
        facility_npi,
        rendering_npi,
        paid_date,
        paid_amount,
        allowed_amount,
        charge_amount,
        -- most delivered codes are already clean: a full match keeps them without rewriting
        -- each one (the same result as the clean-up, at about half the cost over 50 columns);
        -- the pattern expands to the diagnosis codes, then the procedure codes, in table order
        case
            when regexp_full_match(columns('^(diagnosis|procedure)_code_\d+$'), '[0-9A-Z]+')
                then columns('^(diagnosis|procedure)_code_\d+$')
            else nullif(upper(regexp_replace(
                columns('^(diagnosis|procedure)_code_\d+$'), '[^A-Za-z0-9]', '', 'g')), '')
        end,
        columns('^procedure_date_\d+$'),
        _source_file,
        _row_number,
        _extract_date
    from source
)

select * from final
