"""No import cycles anywhere in the kiosk package: every module can be read, tested and
moved after the ones it imports. import-linter's contracts (make lint) keep the layers;
this keeps the modules inside each layer in one order too, with grimp, the graph
library import-linter itself is built on."""

from __future__ import annotations

import grimp


def test_no_module_of_the_kiosk_imports_itself_through_others() -> None:
    graph = grimp.build_graph("kiosk")
    assert len(graph.modules) > 100  # the whole package was read
    cycles = sorted(
        {
            (a, b)
            for a in graph.modules
            for b in graph.find_modules_directly_imported_by(a)
            if graph.chain_exists(importer=b, imported=a)
        }
    )
    assert cycles == []
