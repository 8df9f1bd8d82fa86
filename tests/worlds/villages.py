"""油房村 with three households, as the household and scoring pages start from."""

from __future__ import annotations

from tests.factories import Factory


def youfang(make: Factory) -> dict:
    """油房村 (YF) under the Fengsheng rules: 张三丰 (YF0001, with 张小明) and 李四 (YF0002) of 一组
    live in 第一网格, 王五 (YF0003) in 第二网格. Nothing is committed."""
    town = make.town()
    village = make.village(town, code="YF", name="油房村")
    group = make.group(village, "一组")
    grid = make.grid(village, "第一网格")
    other_grid = make.grid(village, "第二网格")
    version = make.scheme(village)
    zhang = make.household(village, "张三丰", code="YF0001", group=group, grid=grid, members=("张小明",))
    li = make.household(village, "李四", code="YF0002", group=group, grid=grid)
    wang = make.household(village, "王五", code="YF0003", grid=other_grid)
    return {"town": town, "village": village, "group": group, "grid": grid, "other_grid": other_grid,
            "version": version, "zhang": zhang, "li": li, "wang": wang}
