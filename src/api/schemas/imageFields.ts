import { z } from 'zod';
import { nonBlank, text } from './text';

const MAX_TAGS = 10;
const TAG_LENGTH = 50;

/** Tags as a set: trimmed, without blanks or repeats. */
const distinct = (tags: string[]) => [...new Set(tags.map((tag) => tag.trim()).filter(Boolean))];

const tag = text(TAG_LENGTH).regex(/^[^,]*$/u, 'must not contain a comma');
const tagArray = z.array(tag).max(MAX_TAGS, `at most ${MAX_TAGS} tags`);
/** In a form, tags may also come as one comma-separated field. */
const tagCommaList = z
  .string()
  .regex(
    new RegExp(`^[^,]{0,${TAG_LENGTH}}(,[^,]{0,${TAG_LENGTH}}){0,${MAX_TAGS - 1}}$`, 'u'),
    `at most ${MAX_TAGS} comma-separated tags of at most ${TAG_LENGTH} characters`,
  );

const fields = {
  title: text(200)
    .transform((value) => value.trim())
    .optional(),
  description: text(1000)
    .transform((value) => value.trim())
    .optional(),
  category: nonBlank(50).optional(),
  visibility: z.enum(['private', 'public']).default('private'),
};

/** The descriptive fields of an image in a JSON body (a direct upload): tags as an array. */
export const imageFieldsSchema = z.object({ ...fields, tags: tagArray.transform(distinct).optional() }).strict();

/** The same fields in a multipart form: tags as repeated fields, or as one comma-separated field. */
export const imageFormFieldsSchema = z
  .object({
    ...fields,
    tags: z
      .union([tagCommaList.transform((value) => distinct(value.split(','))), tagArray.transform(distinct)])
      .optional(),
  })
  .strict();

export type ImageFields = z.infer<typeof imageFieldsSchema>;
