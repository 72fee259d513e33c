"""A person's data as a whole: ``erasure`` deletes everything movierec keeps of one signed-in person (DELETE /me),
as the privacy policy promises."""
