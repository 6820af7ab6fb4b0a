-- rule kind not_null: the row fails when a value the contract requires is missing
${col} is null
