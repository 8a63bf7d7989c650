"""Demo data: the demo chain taxonomy and a deterministic docking season (`chaindock seed-demo`).

taxonomy.py holds the chains as plain data, catalogue.py the products sold at each node,
vocabulary.py names, places and spelling variation, season.py the pure builder, seed.py the writer.
"""
