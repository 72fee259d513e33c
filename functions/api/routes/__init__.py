"""The API's routes, one Powertools `Router` per resource: `document` (health and the OpenAPI document), `about`
(the operator's details), `sessions` (sign-in), `marks`, `me` (erasing one's data), `recommendations`, `imports`,
`movies` and `feedback` (reports); `asker` says who asks, `documented` holds the answers every route documents
alike. The error mapping is `errors`, beside this package."""
