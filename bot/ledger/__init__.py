"""The data files, pure: what a submission contributes, evaluation, merge, splice and diff."""
