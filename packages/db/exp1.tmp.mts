import postgres from 'postgres';
const sql = postgres(process.env.URL!, { max: 2, onnotice: () => {} });
await sql`drop table if exists t`;
await sql`create table t(id serial, labels jsonb)`;
let t0 = Date.now();
await sql`insert into t(labels) select jsonb_build_object('v', (select string_agg(case when random() < 0.5 then 'a' else 'b' end, '') from generate_series(1, 1024) where g > 0)) from generate_series(1, 10000) g`;
console.log('insert', Date.now() - t0);
console.log(await sql`show server_version`);
for (const p of ['^(?:.*a.{30}b)$', '^(?:.*a.{30}c)$', '^(?:.*c)$', '^(?:(a|b)*c)$', '^(?:.*a.{30}b.*c)$', '^(?:(?:a|aa)*c)$', '^(?:.*(?:a.{20}b|b.{20}a).*c)$']) {
  t0 = Date.now();
  const [r] = await sql`select count(*) from (select 1 from t where coalesce(labels->>'v','') ~ ${p} limit 501) x`;
  console.log(p, r.count, Date.now() - t0, 'ms');
}
await sql.end();
