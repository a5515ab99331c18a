import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  ZActivationCheck,
  ZActivationClass,
  ZActivationDone,
  ZActivationPreview,
  ZActivationPrint,
  ZActivationRedeem,
  ZContactCodeAnswer,
  ZContactCodeRequest,
} from '../../../../contracts/activation.js';
import { idParams } from '../../../../contracts/common.js';
import { ACTIVATION_SCHOOL_ROLES } from '../../../../contracts/roles.js';
import { AppError } from '../../platform/errors.js';
import { sendPdf } from '../../platform/pdf-table.js';
import type { Permission } from '../../platform/permissions.js';
import { requireActor, scopedUnit } from '../../platform/request-context.js';
import { SESSION_ABSOLUTE_MS, SESSION_COOKIE, createSession } from '../../platform/sessions.js';
import { activationClass, previewActivation, printActivationSheet, redeemActivation, requestContactCode } from './activation.service.js';

const tags = ['activation'];
const classParams = idParams('schoolId', 'classId');
/**
 * The school's side: its managers for any class, the homeroom teacher for their own class (the
 * service's rule, class-standing.ts). Not the subject teachers, not the offices (they get counts,
 * adoptionCounts), not the operator.
 */
const schoolSide: Permission = { access: 'unit', param: 'schoolId', roles: ACTIVATION_SCHOOL_ROLES };

const codeRefusals = {
  '400': [
    { code: 'activation_code_wrong', when: 'mã không đúng (không nói có học sinh nào hay không)' },
    { code: 'consent_required', when: 'chưa đánh dấu đồng ý xử lý dữ liệu' },
  ],
  '409': [
    { code: 'activation_code_used', when: 'mã đã được dùng' },
    { code: 'activation_code_replaced', when: 'mã đã được thay bằng phiếu in sau' },
    { code: 'activation_code_expired', when: 'mã đã hết hạn' },
  ],
  '429': [{ code: 'activation_throttled', when: 'nhập sai nhiều lần từ địa chỉ này hoặc cho mã / học sinh này' }],
};

/** Linking families (issue 11, item 1): the printed sheet, the school's list, and the family's activation. */
export async function activationRoutes(fastify: FastifyInstance): Promise<void> {
  const app = fastify.withTypeProvider<ZodTypeProvider>();
  const validDays = () => app.appConfig.activationCodeDays;
  // A code is checked like a password: a quarter of the sign-in requests an address may send a
  // minute (30 by default); the attempt counters of the service limit guessing over 15 minutes.
  const perMinute = { max: Math.ceil(app.appConfig.loginRatePerMinute / 4), timeWindow: 60_000 };

  app.get(
    '/schools/:schoolId/classes/:classId/activation',
    { config: { permission: schoolSide }, schema: { tags, summary: 'Tình hình kích hoạt sổ liên lạc của lớp: từng học sinh, cha mẹ đã kích hoạt chưa, mã đã in', params: classParams, response: { 200: ZActivationClass } } },
    async (req) => activationClass(app.db, { actor: requireActor(req), roles: req.scope.roles, ip: req.ip }, scopedUnit(req), req.params.classId, validDays()),
  );

  app.post(
    '/schools/:schoolId/classes/:classId/activation/sheet.pdf',
    {
      config: { permission: schoolSide, refusals: { '400': [{ code: 'student_not_in_class', when: 'học sinh đã chọn không học lớp này' }] } },
      schema: { tags, summary: 'In (hoặc in lại) phiếu mã kích hoạt của lớp, PDF; mã chưa dùng in trước đó của các học sinh này hết hiệu lực', params: classParams, body: ZActivationPrint },
    },
    async (req, reply) => {
      const address = process.env.TRUONGSO_PUBLIC_URL ? `${process.env.TRUONGSO_PUBLIC_URL.replace(/\/$/, '')}/kich-hoat` : `${req.protocol}://${req.host}/kich-hoat`;
      const { fileName, body } = await printActivationSheet(app.db, { actor: requireActor(req), roles: req.scope.roles, ip: req.ip }, scopedUnit(req), req.params.classId, req.body, { validDays: validDays(), address });
      return sendPdf(reply, fileName, body);
    },
  );

  app.post(
    '/activation/check',
    { config: { permission: { access: 'public' }, rateLimit: perMinute, refusals: codeRefusals }, schema: { tags, summary: 'Kiểm tra mã kích hoạt: mã dành cho ai (con, lớp, trường)', body: ZActivationCheck, response: { 200: ZActivationPreview } } },
    async (req) => previewActivation(app.db, req.body, { ip: req.ip }),
  );

  app.post(
    '/activation/contact-code',
    {
      config: { permission: { access: 'public' }, rateLimit: perMinute, refusals: { '429': codeRefusals['429'] } },
      schema: { tags, summary: 'Gửi mã xác nhận tới e-mail / điện thoại của cha mẹ trong hồ sơ (khi hệ thống có kênh gửi)', body: ZContactCodeRequest, response: { 200: ZContactCodeAnswer } },
    },
    async (req) => requestContactCode(app.db, req.body, { ip: req.ip }),
  );

  app.post(
    '/activation/redeem',
    {
      config: {
        permission: { access: 'public' },
        rateLimit: perMinute,
        secretInBody: true,
        refusals: {
          ...codeRefusals,
          '409': [
            ...codeRefusals['409'],
            { code: 'username_taken', when: 'tên đăng nhập đã có người dùng' },
            { code: 'guardian_already_linked', when: 'người giám hộ trên phiếu đã kích hoạt bằng tài khoản khác' },
            { code: 'already_linked', when: 'con đã có trong tài khoản này' },
            { code: 'not_a_family_account', when: 'đang đăng nhập bằng tài khoản cán bộ' },
          ],
        },
      },
      schema: { tags, summary: 'Kích hoạt: liên kết con với tài khoản phụ huynh (đã đăng nhập hoặc tạo mới), hoặc tạo tài khoản học sinh; ghi nhận sự đồng ý', body: ZActivationRedeem, response: { 200: ZActivationDone } },
    },
    async (req, reply) => {
      // Public, so the platform's CSRF check does not run: a signed-in family's request must still carry its token.
      if (req.actor && req.headers['x-csrf-token'] !== req.actor.csrfToken) {
        throw new AppError(403, 'csrf_failed', 'Phiên làm việc không hợp lệ (thiếu mã CSRF). Hãy tải lại trang và thử lại.');
      }
      const { done, newUserId } = await redeemActivation(app.db, req.actor, req.body, { ip: req.ip });
      if (newUserId && !req.actor) {
        const session = await createSession(app.db, newUserId, { ip: req.ip, userAgent: req.headers['user-agent'] });
        reply.setCookie(SESSION_COOKIE, session.token, { path: '/', httpOnly: true, sameSite: 'lax', secure: app.appConfig.cookieSecure, maxAge: Math.floor(SESSION_ABSOLUTE_MS / 1000) });
      }
      return done;
    },
  );
}
