"""Data helpers shared by the benchmarks: bulk-inserted benchmark customers, and a query copied to CSV for DuckDB."""

import csv
import random
from pathlib import Path

CHUNK = 50_000


def insert_customers(customers: int, rng: random.Random, now) -> list[int]:
    """`customers` customers B0000001… spread over the demo organisation's territories and salespeople (created if
    missing). Call inside bulk_session() and a transaction. Returns their ids in order."""
    from credo.core.demo import ensure_organisation, insert, new, reserve_ids
    from credo.customers.models import Customer

    org = ensure_organisation(rng)
    owners = [(city.territory.pk, person.pk) for region in org.regions for city in region.cities
              for person in region.salespeople]
    customer_ids: list[int] = []
    for offset in range(0, customers, CHUNK):
        ids = reserve_ids(Customer, min(CHUNK, customers - offset))
        rows = []
        for i, pk in enumerate(ids):
            territory, manager = owners[rng.randrange(len(owners))]
            n = offset + i + 1
            rows.append(new(Customer, id=pk, code=f"B{n:07d}", name=f"基准客户{n}有限公司", short_name=f"基准{n}",
                            territory_id=territory, account_manager_id=manager, created_at=now, updated_at=now,
                            name_key=f"基准客户{n}"))
        insert(Customer, rows, with_pk=True)
        customer_ids += ids
    return customer_ids


def dump_csv(sql: str, header: list[str], target: Path) -> None:
    """Write the rows of `sql` to a CSV file with a header: COPY on PostgreSQL, a chunked cursor elsewhere."""
    from django.db import connection

    with open(target, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor, cursor.cursor.copy(f"COPY ({sql}) TO STDOUT") as copy:
                for row in copy.rows():
                    writer.writerow(row)
        else:
            cursor = connection.chunked_cursor()
            cursor.execute(sql)
            while rows := cursor.fetchmany(100_000):
                writer.writerows(rows)
            cursor.close()
