"""PRISMA ledger -> counts, flow diagram (SVG), HTML report."""
