-- rule kind code_system_agrees, one declared system: the row fails when the code is declared in
-- this system but does not match its pattern, or matches the pattern of a system inferred first
(
    ${declared} = getvariable('${var}_system')
    and ${code} is not null
    and (not regexp_full_match(${code}, getvariable('${var}_pattern')) or ${earlier})
)
