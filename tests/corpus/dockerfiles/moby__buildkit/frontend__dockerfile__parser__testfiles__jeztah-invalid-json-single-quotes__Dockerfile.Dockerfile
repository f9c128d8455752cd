CMD ['echo','single quotes are invalid JSON']
