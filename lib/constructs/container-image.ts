import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import type { Construct } from 'constructs';

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>(:<tag>|@<digest>)`: a private ECR image. */
const PRIVATE_ECR_IMAGE =
  /^(?<account>\d{12})\.dkr\.ecr\.(?<region>[a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/(?<repository>[a-z0-9._/-]+)(?::(?<tag>[\w.-]+)|@(?<digest>sha256:[0-9a-f]{64}))$/;

/**
 * The container image for an image reference from a profile. A private ECR image becomes an ECR
 * repository image, so the execution role is granted exactly the pull of that repository
 * (`ContainerImage.fromRegistry` would grant nothing, and the task would fail to pull it);
 * any other reference is pulled as a public image.
 */
export function containerImageFromReference(scope: Construct, id: string, image: string): ecs.ContainerImage {
  const match = PRIVATE_ECR_IMAGE.exec(image)?.groups;
  if (match === undefined) return ecs.ContainerImage.fromRegistry(image);
  const repository = ecr.Repository.fromRepositoryAttributes(scope, id, {
    repositoryName: match.repository,
    repositoryArn: `arn:aws:ecr:${match.region}:${match.account}:repository/${match.repository}`,
  });
  return ecs.ContainerImage.fromEcrRepository(repository, match.tag ?? match.digest);
}
