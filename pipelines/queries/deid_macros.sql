-- grain: none (temporary macros the de-identified export's queries share)
-- why: HMAC-SHA256 (RFC 2104) in DuckDB's sha256: H((K xor opad) || H((K xor ipad) || m)).
-- The padded keys arrive as variables deid_inner / deid_outer; the kind ('person', 'stay', 'row')
-- separates domains so one id never hashes to another kind's pseudonym.
create or replace temp macro deid_pseudonym(kind, value) as left(
    sha256(
        getvariable('deid_outer')
        || unhex(sha256(getvariable('deid_inner') || encode(kind || ':' || cast(value as varchar))))
    ),
    32
);

-- why: HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(C)): ages over 89 are aggregated into 90+.
create or replace temp macro deid_age(age) as least(age, 90);

-- why: HIPAA Safe Harbor dates: only the year may remain; coarser precision keeps analyses possible
-- when a data-use agreement allows (getvariable('date_precision') is day, month or year).
create or replace temp macro deid_date(day) as cast(
    date_trunc(getvariable('date_precision'), day) as date
);

-- why: HIPAA Safe Harbor (45 CFR 164.514(b)(2)(i)(B)) keeps a 5-digit zip's first three digits
-- unless that 3-digit area holds 20,000 people or fewer; HHS lists these 17 (2000 Census,
-- 67 FR 53182, 53233-53234), which become 000. Zips without 5 digits become null.
create or replace temp macro deid_zip3(zip) as case
    when regexp_full_match(left(trim(cast(zip as varchar)), 5), '[0-9]{5}') is not true then null
    when left(trim(cast(zip as varchar)), 3) in (
        '036', '059', '063', '102', '203', '556', '692', '790', '821',
        '823', '830', '831', '878', '879', '884', '890', '893'
    ) then '000'
    else left(trim(cast(zip as varchar)), 3)
end;
