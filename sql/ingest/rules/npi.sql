-- rule kind npi: the row fails when a delivered value is not 10 digits with a valid check digit
${col} is not null and not readmit_npi_ok(${col})
