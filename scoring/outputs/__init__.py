"""Outputs: the public downloads contract (`export`), the terminal report (`report`) and plain-text
number formatting (`text`). They read results and write nothing themselves."""
