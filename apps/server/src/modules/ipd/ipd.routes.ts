import {
  Admission,
  AdmissionDetail,
  AdmissionList,
  AdmissionPage,
  AdmissionQuery,
  AdmissionRequest,
  AdmissionRequestBody,
  AdmissionRequestPage,
  AdmissionRequestQuery,
  AdmitBody,
  Bed,
  BedBody,
  BedCategory,
  BedCategoryBody,
  BedCategoryList,
  BedHistory,
  BedList,
  BedQuery,
  BedReservation,
  BedReservationList,
  BedStatusBody,
  BedStatusChangeList,
  BedTransferBody,
  CancelAdmissionBody,
  ClearanceItemConfigList,
  ClearanceParams,
  ClearItemBody,
  CompleteDischargeBody,
  DischargeClearanceItem,
  DischargeClearanceList,
  ExpectedDischargeBody,
  ExpectedDischargesQuery,
  IdParams,
  InitiateDischargeBody,
  PatientParams,
  Problem,
  ReasonVersionBody,
  ReleaseReservationBody,
  ReservationQuery,
  ReserveBedBody,
  UpdateBedBody,
  UpdateBedCategoryBody,
  UpdateWardBody,
  UpdateWardRoomBody,
  Ward,
  WardBody,
  WardList,
  WardQuery,
  WardRoom,
  WardRoomBody,
  WardRoomList,
  WardRoomQuery,
} from '@newhms/contracts';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { expectedVersion, setEtag } from '../../platform/http/etag';
import * as admissions from './admissions.service';
import * as discharge from './discharge.service';
import type { IpdEnv } from './ipd.env';
import * as requests from './requests.service';
import * as wards from './wards.service';

export const ipdErrors = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  412: Problem,
  422: Problem,
};
const tags = ['ipd'];
const base = '/api/v1/ipd';

/** The version a write expects: If-Match wins over the body's (a mismatch of the two is 412). */
function versionOf<T extends { version: number }>(request: FastifyRequest, body: T): T {
  return { ...body, version: expectedVersion(request, body.version) ?? body.version };
}

function withEtag<T extends { version: number }>(reply: FastifyReply, value: T): T {
  setEtag(reply, value.version);
  return value;
}

/** Setup (categories, wards, rooms, beds, bed status), the request queue and reservations, admissions, discharge. */
export async function ipdRoutes(app: FastifyInstance, env: IpdEnv): Promise<void> {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const read = app.requirePermission('ipd:read');
  const manage = app.requirePermission('ipd:manage-beds');
  const admit = app.requirePermission('ipd:admit');
  const cancel = app.requirePermission('ipd:cancel-admission');
  const discharging = app.requirePermission('ipd:discharge');
  const errors = ipdErrors;

  // ---------------------------------------------------------------------------------------------------
  // Setup
  // ---------------------------------------------------------------------------------------------------

  r.get(
    `${base}/bed-categories`,
    {
      preHandler: read,
      schema: { tags, summary: 'Bed categories', response: { 200: BedCategoryList, ...errors } },
    },
    async (request) => ({ items: await wards.listCategories(request.ctx) }),
  );
  r.post(
    `${base}/bed-categories`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Create a bed category',
        body: BedCategoryBody,
        response: { 201: BedCategory, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await wards.createCategory(request.ctx, request.body))),
  );
  r.patch(
    `${base}/bed-categories/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit or deactivate a bed category (version or If-Match)',
        params: IdParams,
        body: UpdateBedCategoryBody,
        response: { 200: BedCategory, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await wards.updateCategory(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );

  r.get(
    `${base}/wards`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Wards of this facility',
        querystring: WardQuery,
        response: { 200: WardList, ...errors },
      },
    },
    async (request) => ({ items: await wards.listWards(request.ctx, request.query) }),
  );
  r.post(
    `${base}/wards`,
    {
      preHandler: manage,
      schema: { tags, summary: 'Create a ward', body: WardBody, response: { 201: Ward, ...errors } },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await wards.createWard(request.ctx, request.body))),
  );
  r.get(
    `${base}/wards/:id`,
    {
      preHandler: read,
      schema: { tags, summary: 'A ward', params: IdParams, response: { 200: Ward, ...errors } },
    },
    async (request, reply) => withEtag(reply, await wards.getWard(request.ctx, request.params.id)),
  );
  r.patch(
    `${base}/wards/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit or deactivate a ward (version or If-Match)',
        params: IdParams,
        body: UpdateWardBody,
        response: { 200: Ward, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await wards.updateWard(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );

  r.get(
    `${base}/rooms`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Rooms of the wards',
        querystring: WardRoomQuery,
        response: { 200: WardRoomList, ...errors },
      },
    },
    async (request) => ({ items: await wards.listRooms(request.ctx, request.query) }),
  );
  r.post(
    `${base}/rooms`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Create a room in a ward',
        body: WardRoomBody,
        response: { 201: WardRoom, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await wards.createRoom(request.ctx, request.body))),
  );
  r.patch(
    `${base}/rooms/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit or deactivate a room (version or If-Match)',
        params: IdParams,
        body: UpdateWardRoomBody,
        response: { 200: WardRoom, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await wards.updateRoom(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );

  r.get(
    `${base}/beds`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Beds with their status',
        querystring: BedQuery,
        response: { 200: BedList, ...errors },
      },
    },
    async (request) => {
      if (request.ctx.facilityId) {
        await requests.refreshReservations(request.ctx.db, request.ctx, env, request.ctx.facilityId);
      }
      return { items: await wards.listBeds(request.ctx, request.query) };
    },
  );
  r.post(
    `${base}/beds`,
    {
      preHandler: manage,
      schema: { tags, summary: 'Create a bed in a room', body: BedBody, response: { 201: Bed, ...errors } },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await wards.createBed(request.ctx, request.body))),
  );
  r.get(
    `${base}/beds/:id`,
    {
      preHandler: read,
      schema: { tags, summary: 'A bed', params: IdParams, response: { 200: Bed, ...errors } },
    },
    async (request, reply) => withEtag(reply, await wards.getBed(request.ctx, request.params.id)),
  );
  r.patch(
    `${base}/beds/:id`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Edit a bed, or retire it (active false, only when empty); version or If-Match',
        params: IdParams,
        body: UpdateBedBody,
        response: { 200: Bed, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await wards.updateBed(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );
  r.post(
    `${base}/beds/:id/status`,
    {
      preHandler: manage,
      schema: {
        tags,
        summary: 'Block, unblock or send a bed to maintenance, with a reason (not an occupied bed)',
        params: IdParams,
        body: BedStatusBody,
        response: { 200: Bed, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await wards.setBedStatus(request.ctx, request.params.id, versionOf(request, request.body)),
      ),
  );
  r.get(
    `${base}/beds/:id/status-history`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: "Every change of the bed's status: who, when, why",
        params: IdParams,
        response: { 200: BedStatusChangeList, ...errors },
      },
    },
    async (request) => ({ items: await wards.bedStatusHistory(request.ctx, request.params.id) }),
  );

  // ---------------------------------------------------------------------------------------------------
  // Admission requests and reservations
  // ---------------------------------------------------------------------------------------------------

  r.get(
    `${base}/admission-requests`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The admission queue: waiting and reserved requests, most urgent first, then oldest',
        querystring: AdmissionRequestQuery,
        response: { 200: AdmissionRequestPage, ...errors },
      },
    },
    async (request) => requests.listRequests(request.ctx, env, request.query),
  );
  r.post(
    `${base}/admission-requests`,
    {
      preHandler: admit,
      schema: {
        tags,
        summary: 'Request an admission (from OPD, emergency, planned or direct)',
        body: AdmissionRequestBody,
        response: { 201: AdmissionRequest, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await requests.createRequest(request.ctx, request.body))),
  );
  r.get(
    `${base}/admission-requests/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'An admission request',
        params: IdParams,
        response: { 200: AdmissionRequest, ...errors },
      },
    },
    async (request, reply) => withEtag(reply, await requests.getRequest(request.ctx, request.params.id)),
  );
  r.post(
    `${base}/admission-requests/:id/cancel`,
    {
      preHandler: admit,
      schema: {
        tags,
        summary: 'Cancel a request with a reason (its reservation is released)',
        params: IdParams,
        body: ReasonVersionBody,
        response: { 200: AdmissionRequest, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await requests.cancelRequest(request.ctx, env, request.params.id, versionOf(request, request.body)),
      ),
  );

  r.get(
    `${base}/reservations`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Bed reservations (default: active)',
        querystring: ReservationQuery,
        response: { 200: BedReservationList, ...errors },
      },
    },
    async (request) => ({ items: await requests.listReservations(request.ctx, env, request.query) }),
  );
  r.post(
    `${base}/reservations`,
    {
      preHandler: admit,
      schema: {
        tags,
        summary: 'Reserve a bed for a request or a patient for a time window (no overlaps: 409)',
        body: ReserveBedBody,
        response: { 201: BedReservation, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await requests.reserveBed(request.ctx, env, request.body))),
  );
  r.post(
    `${base}/reservations/:id/release`,
    {
      preHandler: admit,
      schema: {
        tags,
        summary: 'Release a reservation',
        params: IdParams,
        body: ReleaseReservationBody,
        response: { 200: BedReservation, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await requests.releaseReservation(
          request.ctx,
          env,
          request.params.id,
          versionOf(request, request.body),
        ),
      ),
  );

  // ---------------------------------------------------------------------------------------------------
  // Admissions
  // ---------------------------------------------------------------------------------------------------

  r.post(
    `${base}/admissions`,
    {
      preHandler: admit,
      schema: {
        tags,
        summary: 'Admit a patient to a bed (two admissions never share a bed: 409 IPD_BED_TAKEN)',
        body: AdmitBody,
        response: { 201: Admission, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(withEtag(reply, await admissions.admitPatient(request.ctx, env, request.body))),
  );
  r.get(
    `${base}/admissions`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Admissions by ward and status (default: open), newest first',
        querystring: AdmissionQuery,
        response: { 200: AdmissionPage, ...errors },
      },
    },
    async (request) => admissions.listAdmissions(request.ctx, request.query),
  );
  r.get(
    `${base}/admissions/:id`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'An admission with its patient, bed now, bed history and clearances',
        params: IdParams,
        response: { 200: AdmissionDetail, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(reply, await admissions.getAdmissionDetail(request.ctx, request.params.id)),
  );
  r.get(
    `${base}/admissions/:id/bed-history`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Occupancy periods with bed days (midnight census): what billing charges',
        params: IdParams,
        response: { 200: BedHistory, ...errors },
      },
    },
    async (request) => admissions.getBedHistory(request.ctx, request.params.id),
  );
  r.post(
    `${base}/admissions/:id/transfer`,
    {
      preHandler: admit,
      schema: {
        tags,
        summary: 'Move the patient to another bed, ward or ICU, with a reason',
        params: IdParams,
        body: BedTransferBody,
        response: { 200: Admission, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await admissions.transferPatient(
          request.ctx,
          env,
          request.params.id,
          versionOf(request, request.body),
        ),
      ),
  );
  r.post(
    `${base}/admissions/:id/cancel`,
    {
      preHandler: cancel,
      schema: {
        tags,
        summary: 'Cancel an admission entered in error, with a reason',
        params: IdParams,
        body: CancelAdmissionBody,
        response: { 200: Admission, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await admissions.cancelAdmission(
          request.ctx,
          env,
          request.params.id,
          versionOf(request, request.body),
        ),
      ),
  );
  r.get(
    `${base}/patients/:patientId/admissions`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: "A patient's admissions in this facility, newest first",
        params: PatientParams,
        response: { 200: AdmissionList, ...errors },
      },
    },
    async (request) => ({ items: await admissions.patientAdmissions(request.ctx, request.params.patientId) }),
  );

  // ---------------------------------------------------------------------------------------------------
  // Discharge
  // ---------------------------------------------------------------------------------------------------

  r.get(
    `${base}/expected-discharges`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'Open admissions expected to leave on or before a date (default today)',
        querystring: ExpectedDischargesQuery,
        response: { 200: AdmissionList, ...errors },
      },
    },
    async (request) => ({ items: await discharge.expectedDischarges(request.ctx, request.query) }),
  );
  r.put(
    `${base}/admissions/:id/expected-discharge`,
    {
      preHandler: discharging,
      schema: {
        tags,
        summary: 'Set or adjust the expected discharge date',
        params: IdParams,
        body: ExpectedDischargeBody,
        response: { 200: Admission, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await discharge.setExpectedDischarge(
          request.ctx,
          request.params.id,
          versionOf(request, request.body),
        ),
      ),
  );
  r.post(
    `${base}/admissions/:id/discharge/initiate`,
    {
      preHandler: discharging,
      schema: {
        tags,
        summary: 'Initiate the discharge (type; destination or time and cause of death): the checklist opens',
        params: IdParams,
        body: InitiateDischargeBody,
        response: { 200: Admission, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await discharge.initiateDischarge(
          request.ctx,
          env,
          request.params.id,
          versionOf(request, request.body),
        ),
      ),
  );
  r.get(
    `${base}/admissions/:id/clearances`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: 'The discharge checklist',
        params: IdParams,
        response: { 200: DischargeClearanceList, ...errors },
      },
    },
    async (request) => ({ items: await discharge.listClearances(request.ctx, request.params.id) }),
  );
  r.post(
    `${base}/admissions/:id/clearances/:clearanceId`,
    {
      preHandler: discharging,
      schema: {
        tags,
        summary: 'Clear or waive a manual checklist item, with a note',
        params: ClearanceParams,
        body: ClearItemBody,
        response: { 200: DischargeClearanceItem, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await discharge.clearItem(
          request.ctx,
          request.params.id,
          request.params.clearanceId,
          versionOf(request, request.body),
        ),
      ),
  );
  r.post(
    `${base}/admissions/:id/discharge/complete`,
    {
      preHandler: discharging,
      schema: {
        tags,
        summary: 'Complete the discharge (409 IPD_DISCHARGE_NOT_CLEARED while items are pending)',
        params: IdParams,
        body: CompleteDischargeBody,
        response: { 200: Admission, ...errors },
      },
    },
    async (request, reply) =>
      withEtag(
        reply,
        await discharge.completeDischarge(
          request.ctx,
          env,
          request.params.id,
          versionOf(request, request.body),
        ),
      ),
  );
  r.get(
    `${base}/clearance-items`,
    {
      preHandler: read,
      schema: {
        tags,
        summary: "The facility's discharge checklist items",
        response: { 200: ClearanceItemConfigList, ...errors },
      },
    },
    async (request) => ({ items: await discharge.listClearanceItems(request.ctx) }),
  );
}
