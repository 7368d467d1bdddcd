"""The planner's notebook runs top to bottom on the venv's interpreter, and is committed clean."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
KERNEL = "zhenkg-test"


@pytest.fixture
def kernel_manager(tmp_path: Path) -> KernelManager:
    """A kernel started with this interpreter (the venv's), whatever kernels the user has."""
    spec = tmp_path / "kernels" / KERNEL
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "zhenkg venv",
                "language": "python",
            }
        ),
        "utf-8",
    )
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    return KernelManager(kernel_name=KERNEL, kernel_spec_manager=ksm)


def test_notebook_is_committed_without_outputs() -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(not c.outputs and c.execution_count is None for c in code)


def test_notebook_executes(kernel_manager: KernelManager) -> None:
    nb = nbformat.read(NOTEBOOK, as_version=4)  # type: ignore[no-untyped-call]
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))  # type: ignore[no-untyped-call]
    client = NotebookClient(
        nb,
        km=kernel_manager,
        timeout=300,
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    errors = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"
    ]
    assert not errors
    assert nb.cells[-1].outputs[0]["text"].strip() == sys.executable
    text = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "泽政办发〔2023〕17号" in text and "县工业和信息化局" in text
    plots = [o for c in nb.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})]
    assert plots, "the chain-gap plot was not drawn"
