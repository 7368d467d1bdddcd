"""Questions across documents: a unit's load, shared tasks, the co-responsibility network."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest

from api.cli import main
from graph.schema import unit_id
from graph.store import open_embedded
from queries import crossdoc
from tests.multidoc import GAOPING, JINCHENG, SAMPLE, YANGCHENG, ingest

ZZ = "泽州县"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store file with the sample, the two other counties and the city plan they cite."""
    path = tmp_path_factory.mktemp("crossdoc") / "graph.db"
    ingest(open_embedded(path), SAMPLE, YANGCHENG, GAOPING, JINCHENG)
    return path


@pytest.fixture(scope="module")
def G(db: Path) -> nx.MultiDiGraph:
    """The graph in ``db``."""
    return open_embedded(db).read_graph()


def test_unit_load_lists_tasks_by_document(G: nx.MultiDiGraph) -> None:
    load = crossdoc.unit_load(G, unit_id(ZZ, "县工业和信息化局"))
    assert (load.task_count, load.lead_count, load.document_count) == (6, 0, 1)
    assert load.documents[0].doc_number == "泽政办发〔2023〕17号"
    assert [t.full_number for t in load.documents[0].tasks][:2] == ["三（一）", "三（二）"]
    assert [h.name for h in load.heads] == ["刘宽利"]
    assert [g.group for g in load.groups] == ["泽州县专业镇发展领导小组"]

    lead = crossdoc.unit_load(G, unit_id("高平市", "市工业和信息化局"))
    assert (lead.task_count, lead.lead_count) == (3, 1)


def test_shared_tasks_of_two_bureaus(G: nx.MultiDiGraph) -> None:
    rows = crossdoc.shared_tasks(G, [unit_id(ZZ, "县工业和信息化局")], [unit_id(ZZ, "县财政局")])
    assert [(r.task.full_number, r.role_a, r.role_b) for r in rows] == [
        ("三（三）", "responsible", "responsible")
    ]
    gp = crossdoc.shared_tasks(
        G, [unit_id("高平市", "市工业和信息化局")], [unit_id("高平市", "市商务局")]
    )
    assert [(r.task.full_number, r.role_a, r.role_b) for r in gp] == [
        ("二（二）", "support", "support")
    ]
    # Same name, different county: never on one task.
    assert not crossdoc.shared_tasks(
        G, [unit_id(ZZ, "县工业和信息化局")], [unit_id("阳城县", "县工业和信息化局")]
    )


def test_coresponsibility_network(G: nx.MultiDiGraph) -> None:
    H = crossdoc.coresponsibility(G, region=ZZ)
    assert "unit:泽州县:各乡镇人民政府" not in H  # collective units are left out by default
    assert H[unit_id(ZZ, "县工业和信息化局")][unit_id(ZZ, "县农业农村局")]["weight"] == 5
    assert all(d["region"] == ZZ for _, d in H.nodes(data=True))
    top = crossdoc.coordination(H)[:2]
    assert {r.name for r in top} == {"县工业和信息化局", "县中小企业发展促进中心"}
    assert top[0].partners == H.number_of_nodes() - 1 and top[0].betweenness > 0

    everything = crossdoc.coresponsibility(G, collective=True)
    assert "unit:泽州县:各乡镇人民政府" in everything
    regions = {everything.nodes[u]["region"] for u in everything}
    assert regions == {ZZ, "阳城县", "高平市", "晋城市"}
    for u, v in everything.edges():
        assert everything.nodes[u]["region"] == everything.nodes[v]["region"]


def test_cli_load_and_shared(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    capsys.readouterr()
    assert main(["load", "县工信局", "--db", str(db), "--json"]) == 0
    loads = json.loads(capsys.readouterr().out)
    assert {(x["region"], x["task_count"]) for x in loads} == {(ZZ, 6), ("阳城县", 3)}

    assert main(["load", "县工信局", "--region", "阳城县", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "阳城县陶瓷专业镇培育实施方案" in out and "赵六" in out and "泽州" not in out

    assert main(["shared", "县工信局", "县自然资源局", "--db", str(db), "--json"]) == 0
    shared = json.loads(capsys.readouterr().out)
    assert [(s["task"]["full_number"], s["task"]["document"]) for s in shared] == [
        ("三（三）", "泽州县促进专业镇高质量发展实施方案"),
        ("三（六）", "泽州县促进专业镇高质量发展实施方案"),
        ("二（一）", "阳城县陶瓷专业镇培育实施方案"),
    ]
    assert main(["shared", "县工信局", "县财政局", "--region", ZZ, "--db", str(db)]) == 0
    assert "三（三）" in capsys.readouterr().out

    assert main(["load", "县不存在局", "--db", str(db)]) == 1
    assert "县不存在局" in capsys.readouterr().err
