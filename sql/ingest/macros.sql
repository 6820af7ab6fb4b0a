-- Macros the loader's rules use. NPI check digit: Luhn over the 9 leading digits with the
-- 80840 prefix, whose doubled-digit sum contributes the constant 24 (CMS NPI standard).
create or replace temp macro readmit_digit(v, i) as try_cast(substr(v, i, 1) as integer);
create or replace temp macro readmit_luhn_double(d) as (2 * d) // 10 + (2 * d) % 10;
create or replace temp macro readmit_npi_ok(v) as coalesce(
    regexp_full_match(v, '[0-9]{10}')
    and (
        24
        + readmit_luhn_double(readmit_digit(v, 1)) + readmit_digit(v, 2)
        + readmit_luhn_double(readmit_digit(v, 3)) + readmit_digit(v, 4)
        + readmit_luhn_double(readmit_digit(v, 5)) + readmit_digit(v, 6)
        + readmit_luhn_double(readmit_digit(v, 7)) + readmit_digit(v, 8)
        + readmit_luhn_double(readmit_digit(v, 9)) + readmit_digit(v, 10)
    ) % 10 = 0,
    false
);
