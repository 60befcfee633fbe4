"""migrate: the orchestration of analyze → plan → render → write → verify, with rollback."""
