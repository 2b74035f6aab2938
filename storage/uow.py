"""The unit of work: one transaction per command that rolls back unless it is committed.

This is what makes "nothing is half-written" true: a command that fails half way leaves no rows.
"""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repository import TenantRepository, TenantsDirectory


class UnitOfWork:
    """Opens a session; ``commit()`` makes its changes durable, anything else discards them.

    The session stays private: work goes through ``repository(tenant_id)`` and ``tenants``.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._session: AsyncSession | None = None

    async def __aenter__(self) -> UnitOfWork:
        self._session = self._sessions()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            await self._session.rollback()
        finally:
            await self._session.close()
            self._session = None

    def _open(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    @property
    def tenants(self) -> TenantsDirectory:
        return TenantsDirectory(self._open())

    def repository(self, tenant_id: int) -> TenantRepository:
        """A repository that can only ever read and write ``tenant_id``'s rows."""
        return TenantRepository(self._open(), tenant_id)

    async def commit(self) -> None:
        await self._open().commit()
