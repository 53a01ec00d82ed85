"""The REF 2029 profile (provisional): REF 2021's rules with REF 2029's limits, most unverified."""
