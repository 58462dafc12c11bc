"""Kernels for templates: started guarded and isolated, forked from a zygote, run by papermill."""
