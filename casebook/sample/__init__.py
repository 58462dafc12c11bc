"""The built-in sample casebook: cases, labels, planted chains and the case register."""
