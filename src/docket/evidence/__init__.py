"""Evidence: media and testimonies with chain of custody, protected identities, verification,
signed packages.

- ``tables.py``: ``evidence``, ``evidence_locations``, ``testimonies`` (migration 0005_evidence)
- ``blobs.py``: the content-addressed folder of media originals (streamed, atomic, read-only)
- ``media.py``: format sniffing, EXIF, ffprobe, perceptual hash; bad files raise ``IntakeError``
- ``add.py``: ``docket evidence add``, one file at a time, nothing stored half-way
- ``records.py``: evidence rows, location notes, review verdicts, near-duplicates
- ``keys.py``, ``sealed.py``: identity key (file or Argon2id passphrase), AES-GCM, Ed25519 keys
- ``testimony.py``, ``testimony_records.py``: interviews as ``witness`` documents, sealed identity
- ``verify.py``: ``docket verify`` (originals, texts, files, creation digests, audit chain)
- ``package.py``: ``docket package`` and ``docket verify-package``
- ``vocab.py``: ``data/evidence.yaml`` (media signatures, methods, roles, consent, verdicts)

Every write goes through :func:`docket.store.audit.record_changes` in the same transaction.
"""
