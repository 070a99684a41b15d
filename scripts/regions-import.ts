/** npm run regions:import — (re)imports every region of Indonesia from idn-area-data, idempotently. */
import { migrate } from "../domain/persistence";
import { importRegions } from "../imports/regions/idn-area";
import { withOrm } from "./cli";

await withOrm(async (orm) => {
  await migrate(orm);
  const r = await importRegions(orm.em.fork());
  console.log(
    `provinsi ${r.counts.provinsi}, kabupaten/kota ${r.counts.kabupatenKota}, kecamatan ${r.counts.kecamatan}, ` +
      `desa/kelurahan ${r.counts.desaKelurahan}: ${r.inserted} inserted, ${r.updated} updated in ${r.ms} ms`,
  );
});
