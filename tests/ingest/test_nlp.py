"""spaCy comes in through ingest.nlp, without its command line, and still whole."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, sys
import ingest.pipeline
from ingest.pipeline import extract_source
loaded = sorted(m for m in ("typer", "weasel", "requests", "httpx", "spacy.cli") if m in sys.modules)
import spacy
doc = spacy.blank("zh")("泽州铸造")
import spacy.cli
print(json.dumps({"cli_at_start": loaded, "tokens": [t.text for t in doc],
                  "real_cli": hasattr(spacy.cli, "download"), "info": callable(spacy.info)}))
"""


def test_the_pipeline_imports_spacy_without_its_command_line() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, check=True
    )
    facts = json.loads(done.stdout)
    assert facts["cli_at_start"] == []
    assert facts["tokens"] == ["泽", "州", "铸", "造"]  # spaCy's own Chinese character segmenter
    assert facts["real_cli"] and facts["info"]  # the command line is there when asked for


def test_every_ingest_module_takes_spacy_from_ingest_nlp() -> None:
    """A module importing spaCy itself could run spaCy's __init__ before the placeholders."""
    for path in sorted((ROOT / "ingest").rglob("*.py")):
        if path.name == "nlp.py":
            continue
        lines = path.read_text("utf-8").splitlines()
        direct = [
            line for line in lines if line.lstrip().startswith(("import spacy", "from spacy"))
        ]
        assert not direct, f"{path.relative_to(ROOT)} imports spaCy directly: {direct}"
