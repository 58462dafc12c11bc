"""Web pages fixed as electronic data: capture, its record, and what the page did."""
