CMD '["echo", "Well, JSON in a string is JSON too?"]'
