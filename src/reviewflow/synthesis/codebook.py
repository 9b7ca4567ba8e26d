"""The config's codebook as a flat list of codes under their themes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    id: str
    label: str
    theme_id: str
    theme_label: str
    definition: str
    indicators: tuple[str, ...]
    theme_definition: str = ""


def codes_from_config(codebook: dict) -> list[Code]:
    out = []
    for theme in codebook["themes"]:
        for sub in theme["subthemes"]:
            out.append(Code(sub["id"], sub["label"], theme["id"], theme["label"],
                            sub.get("definition", ""), tuple(sub.get("indicators", ())),
                            theme.get("definition", "")))
    return out
