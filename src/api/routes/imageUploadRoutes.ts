import type { NextFunction, Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Config } from '../../config';
import { sanitizeFilename } from '../../images/sanitizeFilename';
import { UploadRejection } from '../../images/uploadRules';
import type { ImageIntake } from '../../services/imageIntake';
import { imagePath } from '../../services/imageView';
import { apiBase } from '../apiBase';
import { currentUser } from '../auth/authenticate';
import type { OperationHandlers, Reply } from '../contract/mountOperations';
import type { ApiOperations } from '../contract/operations';
import type { ImageStatus } from '../contract/responseSchemas';
import { problemBody, ProblemError, type Problem } from '../problem';
import { imageFormFieldsSchema } from '../schemas/imageFields';
import { uploadProblem } from '../uploadProblems';
import { answerEarly } from '../uploads/answerEarly';
import { MultipartStorage, UploadFailure, type UploadedFile } from '../uploads/multipartStorage';
import { parseOrThrow } from '../validation';

const MULTER_PROBLEMS: Record<string, (error: MulterError, config: Config) => Problem> = {
  LIMIT_FILE_COUNT: (_error, config) => ({
    status: 413,
    detail: `At most ${config.uploads.maxFiles} files per request.`,
    rule: 'max_files',
  }),
  LIMIT_UNEXPECTED_FILE: (error) => ({
    status: 400,
    detail: `Unexpected file field "${error.field}": send files as "files" (or a single "file").`,
    rule: 'file_field',
  }),
  // A file read past the size limit (one already refused for its format is skipped only up to it): the request ends.
  LIMIT_FILE_SIZE: (error, config) =>
    uploadProblem(
      new UploadRejection('max_bytes', `The file is larger than ${config.uploads.maxBytes} bytes.`),
      // multer 2 names the file on its errors; its typings do not say so yet.
      sanitizeFilename((error as MulterError & { filename?: string }).filename),
    ),
  LIMIT_FIELD_VALUE: (error) => ({
    status: 413,
    detail: `The field "${error.field}" is too long.`,
    rule: 'field_size',
  }),
  LIMIT_FIELD_COUNT: () => ({ status: 413, detail: 'Too many form fields.', rule: 'max_fields' }),
  LIMIT_PART_COUNT: () => ({ status: 413, detail: 'Too many parts in the form.', rule: 'max_parts' }),
  LIMIT_FIELD_KEY: () => ({ status: 400, detail: 'A form field name is too long.', rule: 'field_name' }),
};

/** Runs multer, turning its errors (and a refused oversized file) into problems; the connection closes on 413. */
function receiveFiles(multipart: RequestHandler, config: Config): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!req.is('multipart/form-data')) {
      next(
        new ProblemError({
          status: 415,
          detail:
            'Send images as multipart/form-data (field "files"), or use POST /api/v1/images/uploads for direct uploads.',
        }),
      );
      return;
    }
    multipart(req, res, (error?: unknown) => {
      // A file past the size limit was answered the moment it passed it (see MultipartStorage).
      if (res.headersSent) return;
      if (!error) return next();
      if (error instanceof UploadFailure) {
        const problem = uploadProblem(error.rejection, error.rejection.filename ?? 'upload');
        return next(new ProblemError({ ...problem, headers: { Connection: 'close' } }));
      }
      if (error instanceof MulterError) {
        const problem = MULTER_PROBLEMS[error.code]?.(error, config) ?? { status: 400, detail: error.message };
        return next(
          new ProblemError(problem.status === 413 ? { ...problem, headers: { Connection: 'close' } } : problem),
        );
      }
      // busboy's own complaints: a body that is not well-formed multipart.
      if (error instanceof Error && /multipart|boundary|Unexpected end of form|Malformed/i.test(error.message)) {
        return next(new ProblemError({ status: 400, detail: `Malformed multipart body: ${error.message}` }));
      }
      next(error);
    });
  };
}

/**
 * Where requests are capped as a whole (AWS Lambda carries at most 6 MB), a larger multipart request is answered 413 on
 * its declared length, before any of it is read, naming the route that takes files of any allowed size: the direct
 * upload to a presigned URL. A body of undeclared length (chunked) cannot be judged before it is read: 411.
 */
function withinRequestLimit(config: Config): RequestHandler {
  const limit = config.uploads.maxRequestBytes;
  return (req, res, next) => {
    if (limit === undefined) return next();
    const declared = req.headers['content-length'];
    if (declared === undefined) {
      if (!req.headers['transfer-encoding']) return next();
      answerEarly(req, res, {
        status: 411,
        detail: `Send the request with a Content-Length: this deployment reads multipart requests of at most ${limit} bytes.`,
      });
      return;
    }
    if (Number(declared) <= limit) return next();
    const directUploadUrl = `${apiBase(req, config)}/api/v1/images/uploads`;
    answerEarly(req, res, {
      status: 413,
      type: 'urn:imagepipe:problem:upload:max_request_bytes',
      title: 'Request too large',
      detail:
        `This deployment reads multipart requests of at most ${limit} bytes, and this one declares ${declared}. ` +
        'Send larger files by the direct-upload route (direct_upload_url): POST /api/v1/images/uploads, ' +
        'PUT the file to the URL it answers, then POST its complete_url.',
      rule: 'max_request_bytes',
      max_request_bytes: limit,
      direct_upload_url: directUploadUrl,
    });
  };
}

/** All files of the request, whichever of the two accepted field names they came in. */
function filesOf(req: Request): UploadedFile[] {
  const files = req.files as Record<string, UploadedFile[]> | undefined;
  return [...(files?.files ?? []), ...(files?.file ?? [])];
}

/**
 * `POST /images`: one or many images, streamed to storage as they arrive, each then recorded and handed to its own
 * workflow. Answers 202 with a status URL per image; files that break a rule are reported one by one.
 */
export function imageUploadRoutes(deps: {
  config: Config;
  intake: ImageIntake;
}): Pick<OperationHandlers, 'uploadImages'> {
  const { config, intake } = deps;
  const multipart = multer({
    storage: new MultipartStorage(intake, {
      userIdOf: (req) => currentUser(req).uid,
      maxBytes: config.uploads.maxBytes,
      onTooLarge: (req, rejection) =>
        answerEarly(req, req.res!, uploadProblem(rejection, rejection.filename ?? 'upload')),
    }),
    // File names are UTF-8 in every current client; busboy's default would read them as Latin-1.
    defParamCharset: 'utf8',
    limits: {
      // No part is read past the upload limit, whether its file was accepted or refused.
      fileSize: config.uploads.maxBytes,
      files: config.uploads.maxFiles,
      fields: 40,
      fieldSize: 4 * 1024,
      fieldNameSize: 100,
      parts: config.uploads.maxFiles + 40,
    },
  }).fields([
    { name: 'files', maxCount: config.uploads.maxFiles },
    { name: 'file', maxCount: 1 },
  ]);

  async function uploadImages(req: Request, res: Response, reply: Reply<ApiOperations['uploadImages']>) {
    const user = currentUser(req);
    const files = filesOf(req);
    const stored = files.flatMap((file) => (file.stored ? [file.stored] : []));
    let fields;
    try {
      if (files.length === 0) {
        throw new ProblemError({
          status: 400,
          detail: 'No file was sent: add one or more images in the "files" field.',
          rule: 'no_files',
        });
      }
      fields = parseOrThrow(imageFormFieldsSchema, req.body ?? {});
    } catch (error) {
      await Promise.all(stored.map((upload) => intake.discard(upload.key)));
      throw error;
    }

    const { accepted, linked, failed } = await intake.accept(user.uid, stored, fields);
    const rejected: Problem[] = files.flatMap((file) =>
      file.rejection ? [uploadProblem(file.rejection, file.safeName)] : [],
    );
    for (const { upload, error, withdrawal } of failed) {
      req.log.error(
        { err: error, imageId: upload.imageId, withdrawal },
        withdrawal === 'left-behind'
          ? 'could not record or start processing of an upload, nor take it back: its item or original may remain'
          : 'could not record or start processing of an upload',
      );
      rejected.push({
        status: 503,
        title: 'Service Unavailable',
        detail: 'The image could not be queued for processing. Send it again shortly.',
        file: upload.filename,
      });
    }
    if (accepted.length === 0 && linked.length === 0) {
      const statuses = new Set(rejected.map((problem) => problem.status));
      const status = statuses.size === 1 ? rejected[0]!.status : 422;
      if (rejected.length === 1) throw new ProblemError(rejected[0]!);
      throw new ProblemError({ status, detail: `None of the ${rejected.length} files was accepted.`, files: rejected });
    }

    const base = apiBase(req, config);
    const answer = (record: { image_id: string; status: ImageStatus }, filename: string) => {
      const path = imagePath(base, record.image_id);
      return {
        image_id: record.image_id,
        filename,
        status: record.status,
        status_url: `${path}/status`,
        image_url: path,
      };
    };
    const images = [
      ...accepted.map((record) => {
        req.log.info(
          { imageId: record.image_id, workflowId: record.workflow_id, bytes: record.bytes },
          'image accepted',
        );
        return answer(record, record.filename);
      }),
      ...linked.map(({ upload, existing }) => {
        req.log.info({ imageId: existing.image_id, upload: upload.imageId }, 'upload of an image already held');
        return { ...answer(existing, upload.filename), duplicate_of: existing.image_id };
      }),
    ];
    if (images.length === 1) res.setHeader('Location', images[0]!.status_url);
    // 202 when a run was started; a request of files all already held changed nothing.
    reply(accepted.length > 0 ? 202 : 200, { images, rejected: rejected.map(problemBody) });
  }

  return {
    uploadImages: {
      before: [withinRequestLimit(config), receiveFiles(multipart, config)],
      handle: (_input, { req, res, reply }) => uploadImages(req, res, reply),
    },
  };
}
