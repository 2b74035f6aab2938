"""Developer tool: autogenerate the next migration from the models against a scratch SQLite.

`python -m storage.new_migration "add the outbox" 0003` writes
storage/migrations/versions/0003_add_the_outbox.py; review it before committing.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command

from storage.engine import create_engine
from storage.migrate import MIGRATIONS, alembic_config, upgrade


async def generate(message: str, rev_id: str) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'scratch.db'}")
        try:
            await upgrade(engine)
            async with engine.begin() as conn:
                await conn.run_sync(
                    lambda sync: command.revision(
                        alembic_config(sync), message=message, autogenerate=True, rev_id=rev_id
                    )
                )
        finally:
            await engine.dispose()
    path = next((MIGRATIONS / "versions").glob(f"{rev_id}_*.py"))
    slug = re.sub(r"\W+", "_", message.lower()).strip("_")[:40]
    target = path.with_name(f"{rev_id}_{slug}.py")
    text = path.read_text(encoding="utf-8")
    text = text.replace("storage.models.UTCDateTime()", "sa.DateTime()")
    text = "\n".join(line for line in text.splitlines() if "# ###" not in line) + "\n"
    text = text.replace("Revises: \n", "Revises:\n")
    path.unlink()
    text = text.replace("from alembic import op\n\n\n", "from alembic import op\n\n")
    target.write_text(text, encoding="utf-8")
    subprocess.run([sys.executable, "-m", "ruff", "format", "-q", str(target)], check=False)
    return target


if __name__ == "__main__":
    print(asyncio.run(generate(sys.argv[1], sys.argv[2])))
