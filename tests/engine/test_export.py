"""The DOT export: CS231n style (green values, red gradients), stable ids, real Graphviz."""

from __future__ import annotations

import re

from circuitgrad import evaluate
from circuitgrad.export import GRAD_COLOR, VALUE_COLOR, dot_source, graphviz_available, render

GREEN = VALUE_COLOR.lower()
RED = GRAD_COLOR.lower()


def test_colors_are_green_and_red() -> None:
    def hue(color: str) -> tuple[int, int, int]:
        return int(color[1:3], 16), int(color[3:5], 16), int(color[5:7], 16)

    r, g, b = hue(GREEN)
    assert g > r and g > b
    r, g, b = hue(RED)
    assert r > g and r > b


def test_dot_has_ids_values_and_gradients() -> None:
    result = evaluate("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    source = result.to_dot().source
    assert source == dot_source(result)
    for node in result.nodes:
        assert f'id={node["id"]}' in source
    for edge in result.edges:
        assert f'id={edge["id"]}' in source
    # The wire from z into the product carries its value -4 in green and its gradient 3 in red.
    [z_wire] = [line for line in source.splitlines() if "n3 -> n4" in line]
    assert re.search(f'<font color="{GREEN}">-4</font>', z_wire, re.IGNORECASE)
    assert re.search(f'<font color="{RED}">3</font>', z_wire, re.IGNORECASE)
    [q_wire] = [line for line in source.splitlines() if "n2 -> n4" in line]
    assert ">3</font>" in q_wire and ">-4</font>" in q_wire


def test_dot_labels_inputs_and_gates() -> None:
    source = evaluate("sigmoid(x) + 2", {"x": 0}).to_dot().source
    assert "σ" in source and "+" in source
    assert 'n0 [label=x' in source or 'n0 [label="x"' in source


def test_render_svg_and_png() -> None:
    result = evaluate("(x+y)*z", {"x": -2, "y": 5, "z": -4})
    svg = render(result, "svg").decode()
    assert "<svg" in svg
    for node_id in ("n0", "n4", "e0", "e3"):
        assert f'id="{node_id}"' in svg
    assert GREEN in svg.lower() and RED in svg.lower()
    png = render(result, "png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 1000
    assert render(result, "dot").decode() == dot_source(result)


def test_graphviz_is_installed_here() -> None:
    assert graphviz_available()


def test_non_finite_numbers_render() -> None:
    source = evaluate("log(x)", {"x": 0}).to_dot().source
    assert "-∞" in source


def test_heatmap_colours_match_the_page() -> None:
    from circuitgrad.export import cell_color

    # The same numbers as tests/frontend/heatmap.test.mjs checks for the page.
    assert cell_color(0.0, 2.0) == "#f7f7f7"
    assert cell_color(2.0, 2.0) == "#e66101"
    assert cell_color(-2.0, 2.0) == "#5e3c99"
    assert cell_color(1.0, 4.0) == "#f3d2ba"
    assert cell_color(float("nan"), 2.0) == "#24292f"


def test_small_tensors_are_heatmaps_big_ones_summaries() -> None:
    small = dot_source(evaluate("sum(W)", {"W": [[1, -2], [3, 4]]}))
    assert small.count('fixedsize="true" bgcolor=') == 4 + 4  # W's value and gradient grids
    wide = [[float(i + j) for j in range(9)] for i in range(3)]
    big = dot_source(evaluate("sum(W)", {"W": wide}))
    assert "[3×9]" in big and "min 0 · max 10 · mean 5" in big


def test_a_fan_out_shows_its_gradient_sum_under_it_as_on_the_page() -> None:
    # x feeds three wires (3, 3 and 1 by hand: ∂(x·x + x)/∂x = 2x + 1 = 7 at x = 3)
    source = dot_source(evaluate("x*x + x", {"x": 3}))
    sums = [line for line in source.splitlines() if "class=sum" in line]
    assert len(sums) == 1 and 'label="∑ 7"' in sums[0] and GRAD_COLOR in sums[0]
    # q fans out to two gates, x and y each to two places; a tensor's sum is its shape
    sums = [line for line in dot_source(evaluate("q = x + y; q*x + q*y", {"x": 3, "y": -2}))
            .splitlines() if "class=sum" in line]
    assert sorted(line.split(" [")[0].strip() for line in sums) == [
        "sum_n0", "sum_n1", "sum_n2"]
    tensor = dot_source(evaluate("sum(W@x + W@x)", {"W": [[1, 2], [3, 4]], "x": [1, 1]}))
    assert 'label="∑ [2×2]"' in tensor and 'label="∑ [2]"' in tensor
    # a value that depends on no input has no gradient, so no sum, however often it is used
    assert "class=sum" not in dot_source(evaluate("c = 2*3; c*x + c", {"x": 1}))
    svg = render(evaluate("x*x + x", {"x": 3}), "svg").decode()
    assert "∑ 7" in svg
