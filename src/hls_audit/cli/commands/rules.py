"""`hls-audit rules`: the catalogue of checks."""

from hls_audit.cli.display import emit
from hls_audit.cli.errors import guard
from hls_audit.cli.options import RulesFormat, RulesFormatOpt

TABLE = RulesFormat("table")  # the default --format


@guard
def rules(output: RulesFormatOpt = TABLE) -> None:
    """List every check: code, name, default severity and summary."""
    emit(output.value, "rules")
