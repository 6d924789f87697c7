import type { Sql } from '@sextant/db';

/** Columns that reads legitimately write: a session's last-seen time (and so its idle deadline), a key's last use. */
const WRITTEN_BY_READS: Record<string, string[]> = {
  auth_sessions: ['last_seen_at', 'idle_expires_at'],
  api_keys: ['last_used_at'],
};

const SCHEMA = 'fuzz_watch';

/**
 * Installs, in this test database only, a log that every committed row write, TRUNCATE and table DROP in `public`
 * lands in: far cheaper than checksumming every table, and it also sees writes that a later write undid. Logged in
 * the writer's own transaction, so a rolled-back attempt (Postgres refusing a NUL byte) leaves nothing, as before.
 */
export async function installWriteLog(sql: Sql): Promise<void> {
  const ignored = Object.entries(WRITTEN_BY_READS)
    .map(([table, cols]) => `when '${table}' then array[${cols.map((c) => `'${c}'`).join(', ')}]`)
    .join(' ');
  await sql.unsafe(`
    create schema ${SCHEMA};
    create table ${SCHEMA}.writes (id bigserial primary key, tbl text not null, op text not null);

    -- Once per statement that changed a row (the transition tables hold them, partitions' rows under the table the
    -- statement named); an UPDATE counts unless it only moved the columns reads may move.
    create function ${SCHEMA}.written() returns trigger language plpgsql as $$
    declare
      skip text[] := case tg_table_name ${ignored} else array[]::text[] end;
      changed boolean;
    begin
      -- One test per branch: plpgsql plans a statement when it first runs it, and each trigger has only its own tables.
      if tg_op = 'TRUNCATE' then
        changed := true;
      elsif tg_op = 'INSERT' then
        changed := exists (select from new_rows);
      elsif tg_op = 'DELETE' then
        changed := exists (select from old_rows);
      elsif cardinality(skip) = 0 then
        changed := exists (select from new_rows);
      else
        changed := exists (select to_jsonb(n) - skip from new_rows n except all select to_jsonb(o) - skip from old_rows o);
      end if;
      if changed then
        insert into ${SCHEMA}.writes (tbl, op) values (tg_table_name, tg_op);
      end if;
      return null;
    end $$;

    create function ${SCHEMA}.watch(rel regclass) returns void language plpgsql as $$
    begin
      execute format('create trigger fuzz_watch_insert after insert on %s referencing new table as new_rows
        for each statement execute function ${SCHEMA}.written()', rel);
      execute format('create trigger fuzz_watch_update after update on %s
        referencing old table as old_rows new table as new_rows for each statement execute function ${SCHEMA}.written()', rel);
      execute format('create trigger fuzz_watch_delete after delete on %s referencing old table as old_rows
        for each statement execute function ${SCHEMA}.written()', rel);
      execute format('create trigger fuzz_watch_truncate after truncate on %s
        for each statement execute function ${SCHEMA}.written()', rel);
    end $$;

    -- Tables made later (new partitions) are watched too; a dropped table took its rows with it.
    create function ${SCHEMA}.ddl_end() returns event_trigger language plpgsql as $$
    declare r record;
    begin
      for r in select * from pg_event_trigger_ddl_commands()
        where command_tag = 'CREATE TABLE' and schema_name = 'public' loop
        perform ${SCHEMA}.watch(r.objid::regclass);
      end loop;
    end $$;
    create event trigger fuzz_watch_ddl on ddl_command_end when tag in ('CREATE TABLE')
      execute function ${SCHEMA}.ddl_end();

    create function ${SCHEMA}.dropped() returns event_trigger language plpgsql as $$
    begin
      insert into ${SCHEMA}.writes (tbl, op)
        select object_name, 'DROP' from pg_event_trigger_dropped_objects()
        where object_type = 'table' and schema_name = 'public';
    end $$;
    create event trigger fuzz_watch_drop on sql_drop execute function ${SCHEMA}.dropped();

    select ${SCHEMA}.watch(c.oid) from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = 'public' and c.relkind in ('r', 'p');
  `);
}

/** Where the log stands now; writes committed after this get higher ids (they come from one sequence). */
export async function writeMark(sql: Sql): Promise<number> {
  const [row] = await sql.unsafe<{ mark: string }[]>(
    `select coalesce(max(id), 0) as mark from ${SCHEMA}.writes`,
  );
  return Number(row!.mark);
}

/** The tables written since `mark`, each with its operations, e.g. `work_items (INSERT, UPDATE)`. */
export async function writtenSince(sql: Sql, mark: number): Promise<string[]> {
  const rows = await sql.unsafe<{ tbl: string; ops: string }[]>(
    `select tbl, string_agg(distinct op, ', ') as ops from ${SCHEMA}.writes where id > $1 group by tbl order by tbl`,
    [mark],
  );
  return rows.map((r) => `${r.tbl} (${r.ops})`);
}
