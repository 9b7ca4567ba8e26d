"""Citation searching (PRISMA 'other methods'): chase the included studies' citations, keep what is new."""
