import { type Transaction, sql } from 'kysely';
import { DEFAULT_5_YEAR_INDICATOR_SET, type DevelopmentIndicatorSet } from '../../../domain/index.js';
import type { Database } from '../db/schema.js';

// The demo's preschool evaluation (modules/preschool): in a school whose preschool class teacher can
// sign in (gvmn.demo), the school's indicator set, the first period's results of its 5-year-old
// classes and one measurement per child, made by INSERT … SELECT as the demo gradebook's marks
// (demo-gradebook.repo.ts): draws from hashtextextended of keys the seed makes the same every time.

/**
 * The demo school's indicator set. The default set has the six domains of QĐ 4222/QĐ-BGDĐT only
 * (domain/assessment/preschool.ts SEED_SOURCE: the standards and indicators are not in any text we
 * hold, and none is invented as the Ministry's); so the demo's standard and indicators say in their
 * own names that they are sample entries, in the words a school might use, two per domain.
 */
const SAMPLE: Record<string, [string, string]> = {
  the_chat: ['Bật xa, ném và bắt bóng theo yêu cầu của cô', 'Tự mặc, cởi áo và giữ vệ sinh cá nhân'],
  tinh_cam_xa_hoi: ['Nói được thông tin về bản thân và gia đình', 'Chơi và hợp tác cùng các bạn'],
  ngon_ngu_giao_tiep: ['Kể lại được câu chuyện ngắn đã nghe', 'Nhận ra một số chữ cái quen thuộc'],
  nhan_thuc: ['Đếm và nhận biết số lượng trong phạm vi 10', 'Phân loại đồ vật theo một dấu hiệu'],
  tham_mi: ['Hát, vận động theo nhạc bài hát quen thuộc', 'Vẽ, nặn, xé dán tạo ra sản phẩm đơn giản'],
  tiep_can_viec_hoc: ['Chú ý, hoàn thành công việc được giao', 'Hỏi, tìm hiểu về sự vật xung quanh'],
};

export const DEMO_INDICATOR_SET: DevelopmentIndicatorSet = {
  ...DEFAULT_5_YEAR_INDICATOR_SET,
  code: 'demo_mau',
  name: 'Bộ chuẩn phát triển trẻ em 5 tuổi (bản nhập mẫu của dữ liệu demo)',
  domains: DEFAULT_5_YEAR_INDICATOR_SET.domains.map((d) => ({
    ...d,
    standards: [
      {
        code: `${d.code}_mau`,
        name: 'Chuẩn mẫu (dữ liệu demo; nhà trường nhập theo văn bản)',
        indicators: (SAMPLE[d.code] ?? []).map((name, i) => ({ code: `${d.code}_${i + 1}`, name: `${name} (mẫu)` })),
      },
    ],
  })),
};

const hash = (key: ReturnType<typeof sql>, seed: number) => sql`hashtextextended(${key}, ${seed}::bigint)`;
/** Bell-shaped, mean 0, sd 1, within ±3, from bit `at` (as demo-gradebook.repo.ts). */
const z = (h: ReturnType<typeof sql>, at: number) =>
  sql<number>`(((((${h} >> ${sql.lit(at)}) & 4095) + ((${h} >> ${sql.lit(at + 12)}) & 4095) + ((${h} >> ${sql.lit(at + 24)}) & 4095))::float8 - 6142.5) / 2048)`;

/**
 * The school's set, results of the period 'end_term1' for every child of its 5-year-old classes
 * (about one indicator in eight Chưa đạt, more for some children), and one measurement per child of
 * every preschool class on `measuredOn` (height around 109 cm, BMI around 15,3, as WHO's medians
 * for five-year-olds, so most are Bình thường and a few are not). Skips what is there already.
 */
export async function insertDemoPreschool(trx: Transaction<Database>, schoolId: string, year: number, seed: number, measuredOn: string, teacherUserId: string | null) {
  await trx
    .insertInto('preschool_indicator_set')
    .values({ school_id: schoolId, indicator_set: JSON.stringify(DEMO_INDICATOR_SET), updated_by: teacherUserId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const codes = DEMO_INDICATOR_SET.domains.flatMap((d) => d.standards.flatMap((s) => s.indicators.map((i) => i.code)));
  const members = sql`
    select e.school_id, e.class_id, e.student_id, s.date_of_birth, s.sex, c.age_group,
      coalesce(s.learner_id, s.temp_code, s.name_sort_key || '/' || s.date_of_birth::text) as skey
    from enrolment e
    join class c on c.school_id = e.school_id and c.id = e.class_id
    join student s on s.school_id = e.school_id and s.id = e.student_id
    where e.school_id = ${schoolId} and c.year = ${year} and c.grade = 0 and e.end_date is null`;
  const evaluated = await sql`
    insert into preschool_evaluation (school_id, class_id, period, student_id, indicator_code, result, updated_by)
    select m.school_id, m.class_id, 'end_term1', m.student_id, i.code,
      case when ${z(hash(sql`m.skey || '/' || i.code`, seed), 0)} + 0.5 * ${z(hash(sql`m.skey || '/child'`, seed), 0)} < -1.15 then 'chua_dat' else 'dat' end,
      ${teacherUserId}::uuid
    from (${members}) m
    cross join unnest(${codes}::text[]) as i(code)
    where m.age_group = '06'
    on conflict do nothing`.execute(trx);
  const measured = await sql`
    insert into preschool_measurement (school_id, student_id, measured_on, height_tenths_cm, weight_tenths_kg, updated_by)
    select m.school_id, m.student_id, ${measuredOn}::date, h.tenths,
      round((15.3 + 1.1 * ${z(hash(sql`m.skey || '/bmi'`, seed), 0)}) * (h.tenths / 1000.0) ^ 2 * 10)::int,
      ${teacherUserId}::uuid
    from (${members}) m
    cross join lateral (select (case m.age_group when '06' then 1090 when '05' then 1030 else 960 end
      + round(45 * ${z(hash(sql`m.skey || '/height'`, seed), 0)}))::int as tenths) h
    where m.date_of_birth is null or m.date_of_birth <= ${measuredOn}::date
    on conflict do nothing`.execute(trx);
  return { results: Number(evaluated.numAffectedRows ?? 0), measurements: Number(measured.numAffectedRows ?? 0) };
}

/** The school's preschool class teacher who can sign in (gvmn.demo), if any. */
export async function findPreschoolTeacherAccount(trx: Transaction<Database>, schoolId: string, year: number) {
  return trx
    .selectFrom('class as c')
    .innerJoin('app_user as u', (j) => j.onRef('u.staff_school_id', '=', 'c.school_id').onRef('u.staff_id', '=', 'c.homeroom_teacher_id'))
    .select('u.id')
    .where('c.school_id', '=', schoolId)
    .where('c.year', '=', year)
    .where('c.grade', '=', 0)
    .executeTakeFirst();
}
