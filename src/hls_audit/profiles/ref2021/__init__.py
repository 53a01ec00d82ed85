"""REF 2021: ``template.py`` (REF3), ``limits.py`` (each with its source), ``rules.py`` (HLS8xx)
and ``profile.py``, the value that gathers them."""
