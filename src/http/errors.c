/* The error table (see errors.h). */
#include "http/errors.h"

static const struct http_error derr_table[] = {
	[D_INVALID] = { 422, "invalid_field", "A field is invalid (wrong format, empty or too long).",
			"error.422.text" },
	[D_NOT_FOUND] = { 404, "not_found", "Not found.", "error.404.text" },
	[D_FORBIDDEN] = { 403, "forbidden", "You may not do this.", "error.forbidden.text" },
	[D_CONFLICT] = { 409, "conflict", "This conflicts with the current state.", "error.409.text" },
	[D_DOMAIN_NOT_ALLOWED] = { 422, "email_domain_not_allowed",
				   "Register with your professional address (an allowed domain).",
				   "register.error.domain" },
	[D_WEAK_PASSWORD] = { 422, "weak_password",
			      "Choose a password of at least 12 characters that is not a common one.",
			      "register.error.weak" },
	[D_BAD_CREDENTIALS] = { 401, "invalid_credentials", "Wrong address or password.",
				"login.error.credentials" },
	[D_THROTTLED] = { 429, "too_many_attempts", "Too many failed attempts; try again later.",
			  "error.429.text" },
	[D_TOKEN_INVALID] = { 400, "invalid_token", "This link is unknown, already used or expired.",
			      "verify.invalid.text" },
	[D_TOO_LARGE] = { 413, "too_large", "The file is too large.", "error.413.text" },
	[D_UNSUPPORTED_TYPE] = { 415, "unsupported_type", "This type of file is not accepted here.",
				 "error.415.text" },
	[D_QUOTA] = { 413, "quota_exceeded", "Your storage quota is reached.", "doc.error.quota" },
	[D_STORAGE_FULL] = { 507, "storage_full",
			     "The server's storage is full: nothing was saved. Try again later.",
			     "error.507.text" },
	[D_INTERNAL] = { 500, "internal", "Internal error.", "error.500.text" },
};

const struct http_error HTTP_E_INVALID_FORM_FIELD = {
	422, "invalid_field", "A form field holds a NUL byte or is not valid UTF-8.",
	"error.invalid_form_field.text" };
const struct http_error HTTP_E_INVALID_PARAMETER = {
	400, "invalid_parameter", "A parameter of the path is not valid (an id is a positive number).",
	"error.invalid_parameter.text" };
const struct http_error HTTP_E_INVALID_BODY = { 400, "invalid_body", "The body could not be read.", NULL };
const struct http_error HTTP_E_INVALID_JSON = { 400, "invalid_json", "The body is not valid JSON.", NULL };
const struct http_error HTTP_E_UNAUTHORIZED = {
	401, "unauthorized", "Sign in first: send Authorization: Bearer TOKEN.", "error.401.text" };
const struct http_error HTTP_E_CSRF = {
	403, "invalid_csrf", "The form's CSRF token is missing or invalid.", NULL };
const struct http_error HTTP_E_NOT_FOUND = { 404, "not_found", "No such resource.", NULL };
const struct http_error HTTP_E_METHOD = { 405, "method_not_allowed", "This method is not allowed here.", NULL };
const struct http_error HTTP_E_TOO_LARGE = { 413, "body_too_large", "The request body is too large.", NULL };
const struct http_error HTTP_E_MEDIA_TYPE = {
	415, "unsupported_media_type", "Send application/x-www-form-urlencoded or multipart/form-data.", NULL };
const struct http_error HTTP_E_UNAVAILABLE = {
	503, "unavailable", "The service is unavailable, try again shortly.", NULL };
const struct http_error HTTP_E_QUERY_TOO_LONG = {
	414, "query_too_long", "The query string has too many parameters.", "error.414.text" };
const struct http_error HTTP_E_STORAGE_FULL = {
	507, "storage_full", "The server's storage is full: nothing was saved. Try again later.",
	"error.507.text" };
const struct http_error HTTP_E_INTERNAL = { 500, "internal", "Internal error.", NULL };

const struct http_error *derr_error(enum derr e)
{
	if ((int)e <= D_OK || (size_t)e >= sizeof derr_table / sizeof derr_table[0] || !derr_table[e].code)
		return &derr_table[D_INTERNAL];
	return &derr_table[e];
}

const struct http_error *http_error_of_status(int status)
{
	static const struct http_error *const t[] = {
		&HTTP_E_NOT_FOUND, &HTTP_E_METHOD, &HTTP_E_TOO_LARGE, &HTTP_E_MEDIA_TYPE, &HTTP_E_UNAVAILABLE,
		&HTTP_E_STORAGE_FULL, &HTTP_E_QUERY_TOO_LONG,
	};

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i]->status == status)
			return t[i];
	return &HTTP_E_INTERNAL;
}
