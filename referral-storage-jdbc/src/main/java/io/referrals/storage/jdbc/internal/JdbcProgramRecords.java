package io.referrals.storage.jdbc.internal;

import io.referrals.core.model.Program;
import io.referrals.core.model.ProgramId;
import io.referrals.core.storage.ProgramRecords;
import io.referrals.core.storage.UniqueKey;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The programs of a {@link JdbcTransaction}; a lookup by id is answered from the store's cache when it can. */
final class JdbcProgramRecords implements ProgramRecords {
    private final TxContext tx;

    JdbcProgramRecords(TxContext tx) {
        this.tx = tx;
    }

    @Override
    public void insert(Program program) {
        tx.wrotePrograms.add(program.id());
        tx.insert(tx.sql.insertProgram, ps -> {
            ps.setString(1, program.id().value());
            ps.setString(2, program.name());
            ps.setString(3, program.status().name());
            ps.setLong(4, program.version());
            ps.setString(5, Json.write(program));
        }, "insertProgram", UniqueKey.PROGRAM_ID);
    }

    @Override
    public boolean update(Program program) {
        tx.wrotePrograms.add(program.id());
        return tx.update(tx.sql.updateProgram, ps -> {
            ps.setString(1, program.name());
            ps.setString(2, program.status().name());
            ps.setLong(3, program.version());
            ps.setString(4, Json.write(program));
            ps.setString(5, program.id().value());
            ps.setLong(6, program.version() - 1);
        }, "updateProgram") == 1;
    }

    @Override
    public Optional<Program> get(ProgramId id) {
        Objects.requireNonNull(id, "id");
        tx.check();
        boolean cacheable = !tx.wrotePrograms.contains(id);
        if (cacheable) {
            Optional<Program> cached = tx.caches.program(id);
            if (cached.isPresent()) {
                return cached;
            }
        }
        Optional<Program> p = tx.one(tx.sql.program, ps -> ps.setString(1, id.value()),
                rs -> Json.read(rs.getString(1), Program.class), "program");
        if (cacheable && tx.fillCaches) {
            p.ifPresent(tx.caches::putProgram);
        }
        return p;
    }

    @Override
    public List<Program> all() {
        return tx.list(tx.sql.programs, ps -> { }, rs -> Json.read(rs.getString(1), Program.class), "programs");
    }
}
