/**
 * Source of the `cfn-response` module that Lambda offers to inline (ZipFile) Node.js code.
 * The AWS original always uses HTTPS on port 443; this one honours the URL's scheme and port so it
 * can reach the runner's local response endpoint.
 */
export const CFN_RESPONSE_SOURCE = `
const url = require('url');
exports.SUCCESS = 'SUCCESS';
exports.FAILED = 'FAILED';
exports.send = function (event, context, responseStatus, responseData, physicalResourceId, noEcho) {
  const body = JSON.stringify({
    Status: responseStatus,
    Reason: 'See the details in CloudWatch Log Stream: ' + context.logStreamName,
    PhysicalResourceId: physicalResourceId || context.logStreamName,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: noEcho || false,
    Data: responseData,
  });
  const u = url.parse(event.ResponseURL);
  const transport = u.protocol === 'http:' ? require('http') : require('https');
  const request = transport.request({
    hostname: u.hostname, port: u.port, path: u.path, method: 'PUT',
    headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
  }, () => context.done());
  request.on('error', (error) => { console.log('send(..) failed executing https.request(..): ' + error); context.done(); });
  request.write(body);
  request.end();
};
`;
