-- grain: none (a session variable): the night this run scores, the day after the data end
set variable score_run_date = (select cast(data_end_date + 1 as date) from int_data_window)
