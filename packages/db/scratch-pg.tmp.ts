import { startEmbeddedPostgres } from './src/embedded';
const pg = await startEmbeddedPostgres({ dataDir: '/tmp/api2/pgdata/pg', port: 54380, ephemeral: true, passwordFile: '/tmp/api2/pg-password' });
console.log(pg.urlFor('postgres'));
setInterval(() => {}, 1 << 30);
process.on('SIGTERM', async () => { await pg.stop(); process.exit(0); });
