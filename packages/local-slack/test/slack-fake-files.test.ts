import { describe, expect, it } from 'vitest';
import { slackError, startFake } from './fake-fixture.js';

describe('slack fake: files upload v2', () => {
  it('runs filesUploadV2 end to end and shares the file into the channel', async () => {
    const { fake, client } = await startFake();
    const channel = (await client.conversations.create({ name: 'inc-9' })).channel!.id!;
    const content = '# Postmortem\n\nRoot cause: a bad deploy.\n';
    const result = await client.filesUploadV2({
      channel_id: channel,
      filename: 'postmortem-inc-9.md',
      title: 'Postmortem INC-9',
      content,
      initial_comment: 'Draft postmortem',
    });
    expect(result.ok).toBe(true);

    const [file] = fake.files();
    expect(file).toMatchObject({
      name: 'postmortem-inc-9.md',
      title: 'Postmortem INC-9',
      size: Buffer.byteLength(content),
    });
    expect(file?.id).toMatch(/^F[0-9A-Z]{10}$/);
    expect(fake.fileContent(file!.id).toString('utf8')).toBe(content);

    const [message] = fake.messages(channel);
    expect(message).toMatchObject({ text: 'Draft postmortem', upload: true });
    expect(message?.files?.map((f) => f.id)).toEqual([file?.id]);

    const info = await client.files.info({ file: file!.id });
    expect(info.file?.channels).toEqual([channel]);
    const download = await fetch(info.file!.url_private!);
    expect(await download.text()).toBe(content);
  });

  it('refuses to complete a file whose bytes never arrived', async () => {
    const { client } = await startFake();
    const reserved = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    expect(reserved.upload_url).toContain('/upload/v1/');
    expect(
      await slackError(client.files.completeUploadExternal({ files: [{ id: reserved.file_id! }] })),
    ).toBe('file_not_found');
    expect(await slackError(client.files.completeUploadExternal({ files: [{ id: 'FNOPE000000' }] }))).toBe(
      'file_not_found',
    );
  });

  it('accepts raw bytes on the upload URL too', async () => {
    const { fake, client } = await startFake();
    const reserved = await client.files.getUploadURLExternal({ filename: 'raw.bin', length: 4 });
    const upload = await fetch(reserved.upload_url!, { method: 'POST', body: Buffer.from([1, 2, 3, 4]) });
    expect(await upload.text()).toBe('OK - 4');
    await client.files.completeUploadExternal({ files: [{ id: reserved.file_id!, title: 'Raw' }] });
    expect([...fake.fileContent(reserved.file_id!)]).toEqual([1, 2, 3, 4]);
  });
});
